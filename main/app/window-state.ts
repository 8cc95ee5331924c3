// Kept free of 'electron' so where the window reopens can be tested under plain Node.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../json-file';

export const WINDOW_STATE_FILE = 'window-state.json';

const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowDefaults {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** The last window's place, or null when there is none or the file is not ours to trust. */
export function loadWindowState(dataDir: string): WindowState | null {
  return readJsonFile(join(dataDir, WINDOW_STATE_FILE), windowStateSchema);
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  writeJsonFile(join(dataDir, WINDOW_STATE_FILE), windowStateSchema, state);
}

/** How much of the window must show on a display for its title bar to be grabbed. */
const GRAB = { width: 120, height: 40 };

const overlap = (a: Rect, b: Rect): Rect => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
};

/**
 * Where the window opens: the saved place when enough of it (its top edge, where it is grabbed)
 * shows on a display connected now, its size no larger than that display's work area; otherwise
 * the default size centred on the primary display. A monitor unplugged since never hides the app.
 */
export function windowBounds(saved: WindowState | null, workAreas: readonly Rect[], defaults: WindowDefaults): Rect & { maximized: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: defaults.width, height: defaults.height };
  const fit = (w: number, h: number, area: Rect) => ({
    width: Math.max(Math.min(defaults.minWidth, area.width), Math.min(w, area.width)),
    height: Math.max(Math.min(defaults.minHeight, area.height), Math.min(h, area.height)),
  });
  if (saved) {
    const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: GRAB.height };
    const area = workAreas.find((a) => {
      const o = overlap(titleBar, a);
      return o.width >= Math.min(GRAB.width, saved.width) && o.height >= GRAB.height && saved.y >= a.y;
    });
    if (area) {
      const size = fit(saved.width, saved.height, area);
      // Pulled back inside the display it shows on, so the resized window never hangs off its edge.
      const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - size.width);
      const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - size.height);
      return { x, y, ...size, maximized: saved.maximized };
    }
  }
  const size = fit(defaults.width, defaults.height, primary);
  return {
    x: primary.x + Math.round((primary.width - size.width) / 2),
    y: primary.y + Math.round((primary.height - size.height) / 2),
    ...size,
    maximized: saved?.maximized ?? false,
  };
}
