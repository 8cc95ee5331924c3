/**
 * The count of unacknowledged alerts on the dock icon (macOS) or the launcher (Linux, Unity
 * launchers only: setBadgeCount answers false elsewhere and nothing is shown). Windows has no
 * count badge: its equivalent is an overlay icon per window, which needs a drawn image per
 * number; left out, the tray and the notifications already tell.
 */
import { app } from 'electron';
import { badgeCount, type DesktopState } from './desktop-model';

export function renderBadge(state: DesktopState): void {
  if (process.platform === 'win32') return;
  app.setBadgeCount(badgeCount(state));
}
