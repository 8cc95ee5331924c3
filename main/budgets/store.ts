import { type BudgetModel, budgetModelSchema, EMPTY_BUDGET_MODEL } from '../../shared/budgets';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** The profile's budget model: one JSON row, replaced whole (the editor saves the whole model). */
export class BudgetStore {
  private readonly read;
  private readonly write;
  private cache: BudgetModel | null = null;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.read = db.prepare<[], string>('SELECT value FROM budget_model WHERE id = 1').pluck();
    this.write = db.prepare<[string, number]>(
      'INSERT INTO budget_model (id, value, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get(): BudgetModel {
    if (this.cache) return this.cache;
    const raw = this.read.get();
    let model = structuredClone(EMPTY_BUDGET_MODEL);
    if (raw !== undefined) {
      const parsed = budgetModelSchema.safeParse(JSON.parse(raw));
      if (parsed.success) model = parsed.data;
      else this.logger.error('budgets: stored model no longer valid; no budget applies until it is saved again');
    }
    this.cache = model;
    return model;
  }

  /** `model` was parsed by the contract already; parsed again so no caller can store an unchecked one. */
  set(model: BudgetModel): BudgetModel {
    const parsed = budgetModelSchema.parse(model);
    this.write.run(JSON.stringify(parsed), this.clock.now());
    this.cache = parsed;
    return parsed;
  }
}
