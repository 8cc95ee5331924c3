import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWindowState, saveWindowState, WINDOW_STATE_FILE, windowBounds } from '../../../main/app/window-state';
import { useTempDirs } from '../../support/tmp';

const DEFAULTS = { width: 1280, height: 820, minWidth: 900, minHeight: 600 };
const LAPTOP = { x: 0, y: 25, width: 1440, height: 875 };
const MONITOR = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('the window reopens where the operator left it, never off-screen', () => {
  const tempDir = useTempDirs();

  it('keeps a place that shows on a display connected now', () => {
    const saved = { x: 1600, y: 100, width: 1500, height: 1000, maximized: false };
    expect(windowBounds(saved, [LAPTOP, MONITOR], DEFAULTS)).toEqual({ ...saved });
  });

  it('centres the default size on the primary display when the monitor it was on is gone', () => {
    const saved = { x: 1600, y: 100, width: 1500, height: 1000, maximized: true };
    expect(windowBounds(saved, [LAPTOP], DEFAULTS)).toEqual({ x: 80, y: 53, width: 1280, height: 820, maximized: true });
  });

  it('reopens a window whose title bar went above the screen on the primary display, and shrinks one larger than its display', () => {
    expect(windowBounds({ x: 100, y: -200, width: 1000, height: 700, maximized: false }, [LAPTOP], DEFAULTS)).toMatchObject({ x: 80, y: 53 });
    expect(windowBounds({ x: 0, y: 25, width: 3000, height: 2000, maximized: false }, [LAPTOP], DEFAULTS)).toEqual({ x: 0, y: 25, width: 1440, height: 875, maximized: false });
  });

  it('opens with the defaults the first time', () => {
    expect(windowBounds(null, [LAPTOP, MONITOR], DEFAULTS)).toEqual({ x: 80, y: 53, width: 1280, height: 820, maximized: false });
  });

  it('always opens with its title bar on a display (property)', () => {
    const rect = fc.record({ x: fc.integer({ min: -5000, max: 5000 }), y: fc.integer({ min: -5000, max: 5000 }), width: fc.integer({ min: 640, max: 4000 }), height: fc.integer({ min: 480, max: 3000 }) });
    fc.assert(
      fc.property(fc.array(rect, { minLength: 1, maxLength: 3 }), fc.option(fc.record({ x: fc.integer({ min: -9000, max: 9000 }), y: fc.integer({ min: -9000, max: 9000 }), width: fc.integer({ min: 1, max: 9000 }), height: fc.integer({ min: 1, max: 9000 }), maximized: fc.boolean() }), { nil: null }), (areas, saved) => {
        const b = windowBounds(saved, areas, DEFAULTS);
        const on = areas.some((a) => b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height);
        expect(on).toBe(true);
      }),
    );
  });

  it('saves and loads the place; a missing, broken or foreign file is ignored', () => {
    const dir = tempDir();
    expect(loadWindowState(dir)).toBeNull();
    const state = { x: 10, y: 20, width: 1000, height: 700, maximized: true };
    saveWindowState(dir, state);
    expect(loadWindowState(dir)).toEqual(state);
    expect(existsSync(join(dir, `${WINDOW_STATE_FILE}.tmp`))).toBe(false);
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"x": 1, "y"');
    expect(loadWindowState(dir)).toBeNull();
    writeFileSync(join(dir, WINDOW_STATE_FILE), JSON.stringify({ x: 1, y: 2, width: -5, height: 10, maximized: 'yes' }));
    expect(loadWindowState(dir)).toBeNull();
    expect(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8')).toContain('-5');
  });
});
