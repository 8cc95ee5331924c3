/**
 * The tray icon: today's spend and the sending status (desktop-model.ts words them), Pause all /
 * Resume all, Open, Quit. Thin glue: every string and rule is in the plain model.
 */
import { join } from 'node:path';
import { app, Menu, nativeImage, Tray } from 'electron';
import type { CoreClient } from '../core/client';
import { type DesktopState, trayView } from './desktop-model';

/** build/tray ships as resources/tray (electron-builder.yml extraResources). */
function trayIcon() {
  const dir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'build', 'tray');
  // macOS draws a template image in the menu bar's own colour (dark or light).
  const image = nativeImage.createFromPath(join(dir, process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

export interface TrayHandle {
  render(state: DesktopState): void;
  destroy(): void;
}

export function createTray(core: CoreClient, showWindow: () => void): TrayHandle {
  const tray = new Tray(trayIcon());
  tray.on('click', showWindow);
  const act = (method: 'queue.pauseAll' | 'queue.resumeAll') => void core.registry.dispatch(method, {});
  return {
    render(state) {
      const v = trayView(state);
      tray.setToolTip(v.tooltip);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          ...v.lines.map((label) => ({ label, enabled: false })),
          { type: 'separator' },
          { label: v.pauseAll.label, enabled: v.pauseAll.enabled, click: () => act('queue.pauseAll') },
          { label: v.resumeAll.label, enabled: v.resumeAll.enabled, click: () => act('queue.resumeAll') },
          { type: 'separator' },
          { label: v.open, click: showWindow },
          { label: v.quit, click: () => app.quit() },
        ]),
      );
    },
    destroy: () => tray.destroy(),
  };
}
