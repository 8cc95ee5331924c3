import { join } from 'node:path';
import { Budgets } from '../../main/budgets/budgets';
import { type Db, openDatabase } from '../../main/db/open';
import { type CostRow, Ledger } from '../../main/ledger/ledger';
import { createOutbox } from '../../main/outbox';
import type { Clock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import type { AlertMessage } from '../../shared/alerts';
import type { BudgetThreshold } from '../../shared/budgets';

export interface BudgetRig {
  db: Db;
  ledger: Ledger;
  budgets: Budgets;
  fired: AlertMessage[];
  write(rows: CostRow[]): Promise<void>;
  alertIds(): string[];
  close(): void;
}

/** A ledger and the budgets on it, wired as AiService wires them, over a real SQLite file. */
export async function openBudgetRig(dir: string, clock: Clock, zone: string, profile: 'live' | 'sandbox' = 'live'): Promise<BudgetRig> {
  const db = openDatabase(join(dir, 'huntaze.db'));
  const outbox = createOutbox({ db, clock });
  const fired: AlertMessage[] = [];
  const budgets = new Budgets({ db, clock, logger: silentLogger, outbox, profile, channels: () => ['os', 'slack'], onFired: (a) => void fired.push(a) });
  const ledger = new Ledger(db, clock, outbox, { timeZone: zone, onRows: (rows) => budgets.evaluator.committed(rows) });
  budgets.attach(ledger);
  await ledger.rebuilt();
  return {
    db,
    ledger,
    budgets,
    fired,
    async write(rows) {
      const done = rows.map((r) => ledger.record(r));
      ledger.flush();
      await Promise.all(done);
    },
    alertIds: () => (db.prepare('SELECT id FROM cost_alerts ORDER BY id').pluck().all() as string[]),
    close() {
      ledger.flush();
      db.close();
    },
  };
}

let seq = 0;
export function spendRow(ts: number, costMicros: number, extra: Partial<CostRow> = {}): CostRow {
  seq++;
  return {
    id: `b-${seq}`, requestId: `breq-${seq}`, attempt: 1, ts, provider: 'azure', deployment: 'dep', baseModel: 'gpt-4o', purpose: 'personalize',
    campaignId: null, operatorId: null, usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 }, costMicros, latencyMs: 5, status: 'ok', priceSource: 'table',
    ...extra,
  };
}

export const threshold = (t: Partial<BudgetThreshold> = {}): BudgetThreshold => ({
  id: 'g-day', scope: 'global', target: null, period: 'day', amountMicros: 1_000_000, levels: [50, 80, 100], hardStop: 'none', ...t,
});
