/**
 * The native menus as a template, built without Electron (only its types) so the labels, roles
 * and what a packaged build leaves out are tested under Node; menu.ts hands it to Menu.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { type Language, words } from './desktop-model';

/** Where Help sends the operator: pages the openExternal allow-list (urls.ts) accepts. */
export const HELP_LINKS = {
  docs: 'https://github.com/huntaze/huntaze-desktop#readme',
  support: 'https://github.com/huntaze/huntaze-desktop/issues',
} as const;

/** One item of the template, as Menu.buildFromTemplate takes it (tests read it without Electron). */
export type MenuItem = MenuItemConstructorOptions;

export interface MenuOptions {
  platform: NodeJS.Platform;
  language: Language;
  /** Unpackaged: the developer's tools (devtools) are there. */
  packaged: boolean;
  /** The dev server serves the renderer: reload is a developer's tool, a packaged page never needs it. */
  dev: boolean;
  newCampaign(): void;
  openLink(url: string): void;
}

export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const w = words(o.language);
  const mac = o.platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [{ role: 'appMenu', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] }]
    : [];
  const file: MenuItemConstructorOptions = {
    label: w.file,
    submenu: [
      // Shown, not registered (Windows, Linux): the page's own Ctrl+N handler takes the key, so one press makes one draft.
      { id: 'new-campaign', label: w.newCampaign, accelerator: 'CmdOrCtrl+N', registerAccelerator: false, click: () => o.newCampaign() },
      { type: 'separator' },
      mac ? { role: 'close', label: w.close } : { role: 'quit', label: w.quit },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: w.edit,
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: w.view,
    submenu: [
      ...(o.dev ? [{ role: 'reload' } as const] : []),
      ...(o.packaged ? [] : [{ role: 'toggleDevTools' } as const]),
      ...(o.dev || !o.packaged ? [{ type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { role: 'windowMenu', label: w.window };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: w.help,
    submenu: [
      { label: w.docs, click: () => o.openLink(HELP_LINKS.docs) },
      { label: w.support, click: () => o.openLink(HELP_LINKS.support) },
    ],
  };
  return [...appMenu, file, edit, view, windowMenu, help];
}
