import { z } from 'zod';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import { SettingRow } from '../settings/row';

/** A key of the live file's settings table that SettingsStore does not read (it keeps only its own keys). */
const KEY = 'demo.seededAt';

/**
 * Remembers, in the live file, that the demo was seeded: the Home page's "first run" is no
 * provider set up in live and no demo ever explored, and the Sandbox file may not be open.
 */
export class DemoMarker {
  private readonly row;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.row = new SettingRow(db, KEY, z.number().int().nonnegative(), clock);
  }

  seededAt(): number | null {
    return this.row.get() ?? null;
  }

  markSeeded(): number {
    return this.row.set(this.clock.now());
  }
}
