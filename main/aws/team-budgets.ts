/**
 * The team budgets: one item (`keys.teamBudgets()` in `{prefix}-cost-alerts`) that every seat
 * reads, plus a copy in this seat's live file so an offline seat still knows them. A save
 * replaces the whole model under a version check (`attribute_not_exists` for the first, then
 * `version = :seen`): two seats saving from the same version cannot both win, the second is told
 * `team_budgets_conflict` with the model it missed and saves again on top of it. Nothing is lost.
 */
import { z } from 'zod';
import { type BudgetModel, budgetModelSchema, EMPTY_BUDGET_MODEL } from '../../shared/budgets';
import { type TeamBudgetsView, teamBudgetsViewSchema } from '../../shared/contract/team-budgets';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { TeamConnection } from './clients';
import { keys } from './keys';
import { SettingRow } from '../settings/row';

const CACHE_KEY = 'teamBudgets.cache';

const EMPTY: TeamBudgetsView = { model: EMPTY_BUDGET_MODEL, version: 0, updatedBy: null, updatedAt: null };

const storedItemSchema = z.object({
  model: z.string(),
  version: z.number().int().nonnegative(),
  updatedBy: z.string(),
  updatedAt: z.number().int().nonnegative(),
});

export const isConditionFailed = (err: unknown): boolean => err instanceof Error && err.name === 'ConditionalCheckFailedException';

export class TeamBudgetStore {
  private readonly copy: SettingRow<TeamBudgetsView>;
  /** The copy as last read or written: every live AI request's pre-flight asks for it (spend-budget.ts). */
  private memo: TeamBudgetsView | null = null;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Another seat's save reached this seat (a read found a version other than the copy's). */
    private readonly onChanged: (view: TeamBudgetsView) => void = () => undefined,
  ) {
    this.copy = new SettingRow(db, CACHE_KEY, teamBudgetsViewSchema, clock, () => logger.warn('team budgets: cached copy no longer valid; none apply until the team is reached'));
  }

  /** What this seat last saw: the budgets offline. */
  cached(): TeamBudgetsView {
    return (this.memo ??= this.copy.get() ?? EMPTY);
  }

  /** Reads the team's item (strongly consistent) and keeps it as the local copy. */
  async refresh(conn: TeamConnection): Promise<TeamBudgetsView> {
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { marshall, unmarshall } = await import('@aws-sdk/util-dynamodb');
    const { Item } = await conn.dynamo.send(new GetItemCommand({ TableName: conn.names.alertsTable, Key: marshall(keys.teamBudgets()), ConsistentRead: true }));
    let view = EMPTY;
    if (Item) {
      const item = storedItemSchema.parse(unmarshall(Item));
      // A model another seat's newer app wrote may not parse here: keep the last good copy rather than drop every budget.
      const model = budgetModelSchema.safeParse(JSON.parse(item.model));
      if (!model.success) {
        this.logger.warn('team budgets: the team item does not parse; keeping the cached copy', { version: item.version });
        return this.cached();
      }
      view = { model: model.data, version: item.version, updatedBy: item.updatedBy, updatedAt: item.updatedAt };
    }
    const before = this.cached().version;
    this.memo = this.copy.set(view);
    if (view.version !== before) this.onChanged(view);
    return view;
  }

  /** Saves `model` edited from `baseVersion`; `conflict` carries what another seat saved in between. */
  async save(conn: TeamConnection, model: BudgetModel, baseVersion: number): Promise<{ saved: TeamBudgetsView } | { conflict: TeamBudgetsView }> {
    const parsed = budgetModelSchema.parse(model);
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const view: TeamBudgetsView = { model: parsed, version: baseVersion + 1, updatedBy: conn.seatId, updatedAt: this.clock.now() };
    try {
      await conn.dynamo.send(
        new PutItemCommand({
          TableName: conn.names.alertsTable,
          Item: marshall({ ...keys.teamBudgets(), model: JSON.stringify(parsed), version: view.version, updatedBy: view.updatedBy, updatedAt: view.updatedAt }),
          ...(baseVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :seen', ExpressionAttributeValues: marshall({ ':seen': baseVersion }) }),
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) return { conflict: await this.refresh(conn) };
      throw err;
    }
    this.memo = this.copy.set(view);
    return { saved: view };
  }
}
