import { describe, expect, it } from 'vitest';
import { HELP_LINKS, type MenuItem as MenuItemConstructorOptions, menuTemplate, type MenuOptions } from '../../../main/app/menu-model';
import { isAllowedExternal } from '../../../main/app/urls';

const base = (o: Partial<MenuOptions> = {}) => {
  const calls: string[] = [];
  const template = menuTemplate({ platform: 'linux', language: 'en', packaged: true, dev: false, newCampaign: () => calls.push('new-campaign'), openLink: (url) => calls.push(url), ...o });
  return { template, calls };
};
const sub = (item: MenuItemConstructorOptions | undefined) => item!.submenu as MenuItemConstructorOptions[];
const roles = (items: MenuItemConstructorOptions[]) => items.map((i) => i.role ?? i.type ?? i.label);
const click = (item: MenuItemConstructorOptions) => (item.click as unknown as () => void)();

describe('native menus (template built under Node)', () => {
  it('packaged on Windows/Linux: File, Edit, View, Window, Help; no reload or devtools; New campaign shows Ctrl+N without registering it', () => {
    const { template, calls } = base();
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const [newCampaign, , quit] = sub(template[0]);
    expect(newCampaign).toMatchObject({ label: 'New campaign', accelerator: 'CmdOrCtrl+N', registerAccelerator: false });
    expect(quit).toMatchObject({ role: 'quit' });
    expect(roles(sub(template[1]))).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'selectAll']);
    expect(roles(sub(template[2]))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
    click(newCampaign!);
    for (const link of sub(template[4])) click(link);
    expect(calls).toEqual(['new-campaign', HELP_LINKS.docs, HELP_LINKS.support]);
    // Help goes through the same allow-list as every other external link.
    for (const url of Object.values(HELP_LINKS)) expect(isAllowedExternal(url)).toBe(true);
  });

  it('macOS gets the app menu and Close in File; a developer build gets reload and devtools', () => {
    const { template } = base({ platform: 'darwin', packaged: false, dev: true });
    expect(template[0]).toMatchObject({ role: 'appMenu' });
    expect(sub(template[1])[2]).toMatchObject({ role: 'close' });
    expect(roles(sub(template[3])).slice(0, 3)).toEqual(['reload', 'toggleDevTools', 'separator']);
    // Unpackaged without the dev server (a local build run): devtools, but no reload.
    expect(roles(sub(base({ packaged: false, dev: false }).template[2])).slice(0, 2)).toEqual(['toggleDevTools', 'separator']);
  });

  it('labels follow the settings language', () => {
    const { template } = base({ language: 'fr' });
    expect(template.map((m) => m.label)).toEqual(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
    expect(sub(template[0])[0]!.label).toBe('Nouvelle campagne');
  });
});
