import type { campaignsMethods } from '../../shared/contract/campaigns';
import type { costsMethods } from '../../shared/contract/costs';
import type { BudgetModel } from '../../shared/budgets';
import { type CostsForecast, dayNumber, type ForecastBudget, type ScopedBudgetForecast } from '../../shared/forecast';
import { forecastThreshold } from '../budgets/projection';
import type { ScopeSpend } from '../budgets/spend';
import type { HandlersFor } from '../ipc/registry';
import { forecastSpend } from './forecast';
import type { CostQueries } from './queries';

/** The agency-wide thresholds of the one budget model are what the forecast is drawn against. */
export function forecastBudgets(model: BudgetModel): ForecastBudget[] {
  return model.thresholds
    .filter((t) => t.scope === 'global')
    .map((t) => ({ id: t.id, period: t.period === 'day' ? ('daily' as const) : ('monthly' as const), amountMicros: t.amountMicros }));
}

/**
 * The agency-wide forecast, then every provider and campaign monthly budget forecast from its
 * own scope's daily series, on the same local today (the rollups' zone, the previous one during
 * a rebuild, as every other answer).
 */
export function forecastCosts(queries: CostQueries, model: BudgetModel, spend: Pick<ScopeSpend, 'daily'>): CostsForecast {
  const input = queries.forecastInput(forecastBudgets(model));
  const today = dayNumber(input.today.date);
  const scopedBudgets: ScopedBudgetForecast[] = [];
  for (const t of model.thresholds) {
    if (t.scope === 'global' || t.period !== 'month' || t.target === null) continue;
    const f = forecastThreshold(spend, today, input.today, t);
    const b = f?.budgets[0];
    scopedBudgets.push({
      id: t.id,
      scope: t.scope,
      target: t.target,
      amountMicros: t.amountMicros,
      monthToDateMicros: f?.monthToDateMicros ?? 0,
      projectedMicros: f?.monthEnd.p50 ?? 0,
      crossesOn: b?.crossesOn ?? null,
      earliestOn: b?.earliestOn ?? null,
    });
  }
  return { ...forecastSpend(input), scopedBudgets };
}

/** The active profile's cost queries: Sandbox mode answers from the Sandbox database. */
export function costsHandlers(
  queries: () => CostQueries,
  budgets: () => BudgetModel,
  spend: () => Pick<ScopeSpend, 'daily'>,
): HandlersFor<typeof costsMethods & Pick<typeof campaignsMethods, 'campaigns.costs'>> {
  return {
    'costs.forecast': () => forecastCosts(queries(), budgets(), spend()),
    'costs.stats': () => queries().stats(),
    'costs.breakdown': (input) => queries().breakdown(input),
    'costs.series': (input) => queries().series(input),
    'campaigns.costs': ({ campaignId }) => queries().campaign(campaignId),
  };
}
