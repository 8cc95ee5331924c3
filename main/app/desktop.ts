/** The shell's OS surfaces (tray, badge, menus) following the core: one call from index.ts. */
import { BrowserWindow } from 'electron';
import type { CoreClient } from '../core/client';
import { renderBadge } from './badge';
import { followDesktop } from './desktop-model';
import { createMenuRenderer } from './menu';
import { createTray } from './tray';

export function startDesktop(core: CoreClient, dev: boolean): () => void {
  const showWindow = () => {
    const [win] = BrowserWindow.getAllWindows();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const tray = createTray(core, showWindow);
  const renderMenu = createMenuRenderer(dev);
  renderMenu('en');
  const follower = followDesktop(core, (state) => {
    tray.render(state);
    renderBadge(state);
    renderMenu(state.language);
  });
  return () => {
    follower.stop();
    tray.destroy();
  };
}
