import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CORE_PRAGMAS, openDatabase } from '../../main/db/open';
import { migrations } from '../../main/db/migrations';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { type Suite, round } from '../harness';
import { rotated } from '../load';

const TABLE = 'CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, amount INTEGER NOT NULL) STRICT';
const INSERT = 'INSERT INTO bench_rows (payload, amount) VALUES (?, ?)';
// Per round; rounds alternate which connection goes first, so neither always writes to the colder file.
const ROUNDS = 8;
const PER_TX_ROWS = 250;
const BATCH_ROWS = 20_000;
const BATCH_SIZE = 1000;
const SETTINGS_UPDATES = 1000;

/** Reads each core pragma back from both connections, so a baseline that silently differs stops the run. */
function assertSamePragmas(raw: Database.Database, core: Database.Database) {
  for (const name of CORE_PRAGMAS.map((p) => p.split('=')[0]!.trim())) {
    const r = raw.pragma(name, { simple: true });
    const c = core.pragma(name, { simple: true });
    if (r !== c) throw new Error(`db bench: the raw baseline's ${name} is ${String(r)} but the core's is ${String(c)}`);
  }
}

/**
 * Raw better-sqlite3 with the core's own pragmas (CORE_PRAGMAS: WAL, synchronous=FULL, foreign
 * keys) against the same rows through the core's DB layer, in one run on one disk, so the ratio
 * is the layer's overhead and not a difference in durability.
 */
export const dbSuite: Suite = {
  description: 'SQLite insert rate: raw better-sqlite3 (same pragmas) vs the core DB layer',
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-'));
    try {
      const raw = new Database(join(dir, 'raw.db'));
      for (const pragma of CORE_PRAGMAS) raw.pragma(pragma);
      raw.exec(TABLE);
      const core = openDatabase(join(dir, 'core.db'), {
        migrations: [...migrations, { version: migrations.length + 1, name: 'bench', up: TABLE }],
      });
      assertSamePragmas(raw, core);

      const seconds = (fn: () => void) => {
        const t0 = performance.now();
        fn();
        return (performance.now() - t0) / 1000;
      };
      const paths = [raw, core].map((db) => {
        const insert = db.prepare<[string, number]>(INSERT);
        const oneTx = db.transaction((i: number) => insert.run(`row ${i}`, i * 1000));
        const batch = db.transaction((start: number) => {
          for (let i = start; i < start + BATCH_SIZE; i++) insert.run(`row ${i}`, i * 1000);
        });
        const totals = { perTx: 0, batched: 0 };
        const measure = () => {
          totals.perTx += seconds(() => {
            for (let i = 0; i < PER_TX_ROWS; i++) oneTx(i);
          });
          totals.batched += seconds(() => {
            for (let b = 0; b < BATCH_ROWS / BATCH_SIZE; b++) batch(b * BATCH_SIZE);
          });
        };
        return { measure, totals };
      });
      for (let r = 0; r < ROUNDS; r++) for (const path of rotated([paths[0]!, paths[1]!], r)) path.measure();
      const [r, c] = paths.map(({ totals }) => ({
        perTx: (ROUNDS * PER_TX_ROWS) / totals.perTx,
        batched: (ROUNDS * BATCH_ROWS) / totals.batched,
      })) as [{ perTx: number; batched: number }, { perTx: number; batched: number }];
      report({ name: 'db.raw_insert_per_tx', value: round(r.perTx, 0), unit: 'rows/s' });
      report({ name: 'db.core_insert_per_tx', value: round(c.perTx, 0), unit: 'rows/s' });
      report({ name: 'db.core_vs_raw_per_tx_ratio', value: round(c.perTx / r.perTx), unit: 'x' });
      report({ name: 'db.raw_insert_batched', value: round(r.batched, 0), unit: 'rows/s' });
      report({ name: 'db.core_insert_batched', value: round(c.batched, 0), unit: 'rows/s' });
      report({ name: 'db.core_vs_raw_batched_ratio', value: round(c.batched / r.batched), unit: 'x' });
      raw.close();
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
