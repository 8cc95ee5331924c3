import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../main/db/open';
import { migrations } from '../../main/db/migrations';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { type Suite, rate, round } from '../harness';

const TABLE = 'CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, amount INTEGER NOT NULL) STRICT';
const INSERT = 'INSERT INTO bench_rows (payload, amount) VALUES (?, ?)';
const PER_TX_ROWS = 1500;
const BATCH_ROWS = 100_000;
const BATCH_SIZE = 1000;
const SETTINGS_UPDATES = 1000;

/**
 * Raw better-sqlite3 (library defaults) against the same rows through the core's DB layer
 * (openDatabase: WAL, synchronous=FULL, foreign keys, migrations), in one run on one disk.
 */
export const dbSuite: Suite = {
  description: 'SQLite insert rate: raw better-sqlite3 vs the core DB layer',
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-'));
    try {
      const raw = new Database(join(dir, 'raw.db'));
      raw.exec(TABLE);
      const core = openDatabase(join(dir, 'core.db'), {
        migrations: [...migrations, { version: migrations.length + 1, name: 'bench', up: TABLE }],
      });

      const measure = (db: Database.Database) => {
        const insert = db.prepare<[string, number]>(INSERT);
        const oneTx = db.transaction((i: number) => insert.run(`row ${i}`, i * 1000));
        const perTx = rate(PER_TX_ROWS, (i) => oneTx(i));
        const batch = db.transaction((start: number) => {
          for (let i = start; i < start + BATCH_SIZE; i++) insert.run(`row ${i}`, i * 1000);
        });
        const batched = rate(BATCH_ROWS / BATCH_SIZE, (b) => batch(b * BATCH_SIZE)) * BATCH_SIZE;
        return { perTx, batched };
      };

      // The same pragmas by hand, so the layer's own overhead shows apart from its durability choices.
      const tuned = new Database(join(dir, 'tuned.db'));
      tuned.pragma('journal_mode = WAL');
      tuned.pragma('synchronous = FULL');
      tuned.pragma('foreign_keys = ON');
      tuned.exec(TABLE);

      const r = measure(raw);
      const t = measure(tuned);
      const c = measure(core);
      report({ name: 'db.raw_insert_per_tx', value: round(r.perTx, 0), unit: 'rows/s' });
      report({ name: 'db.core_insert_per_tx', value: round(c.perTx, 0), unit: 'rows/s' });
      report({ name: 'db.core_vs_raw_per_tx_ratio', value: round(c.perTx / r.perTx), unit: 'x' });
      report({ name: 'db.raw_insert_batched', value: round(r.batched, 0), unit: 'rows/s' });
      report({ name: 'db.core_insert_batched', value: round(c.batched, 0), unit: 'rows/s' });
      report({ name: 'db.core_vs_raw_batched_ratio', value: round(c.batched / r.batched), unit: 'x' });
      report({ name: 'db.core_vs_raw_same_pragmas_batched_ratio', value: round(c.batched / t.batched), unit: 'x' });
      report({ name: 'db.core_vs_raw_same_pragmas_per_tx_ratio', value: round(c.perTx / t.perTx), unit: 'x' });
      raw.close();
      tuned.close();
      core.close();

      // The whole road a renderer call takes, minus the transport: validation, transaction, event.
      const services = await createServices({ dataDir: join(dir, 'svc'), host: 'web', logger: silentLogger });
      const start = performance.now();
      for (let i = 0; i < SETTINGS_UPDATES; i++) await services.registry.dispatch('settings.update', { operatorName: `Operator ${i}` });
      report({ name: 'db.settings_update_via_registry', value: round(SETTINGS_UPDATES / ((performance.now() - start) / 1000), 0), unit: 'ops/s' });
      await services.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
