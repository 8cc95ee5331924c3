/** The shell's OS surfaces (tray, badge, menus) following the core: one call from index.ts. */
import type { CoreClient } from '../core/client';
import { renderBadge } from './badge';
import { followDesktop } from './desktop-model';
import { createMenuRenderer } from './menu';
import { createTray } from './tray';
import { frontWindow } from './windows';

export function startDesktop(core: CoreClient, dev: boolean): () => void {
  const showWindow = () => void frontWindow();
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
