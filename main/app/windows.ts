import { BrowserWindow } from 'electron';

/** The app's window brought forward (restored, shown, focused) for the operator; null when none is open. */
export function frontWindow(): BrowserWindow | null {
  const [win] = BrowserWindow.getAllWindows();
  if (!win || win.isDestroyed()) return null;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return win;
}
