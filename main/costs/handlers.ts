import type { campaignsMethods } from '../../shared/contract/campaigns';
import type { costsMethods } from '../../shared/contract/costs';
import type { BudgetModel } from '../../shared/budgets';
import type { ForecastBudget } from '../../shared/forecast';
import type { HandlersFor } from '../ipc/registry';
import { forecastSpend } from './forecast';
import type { CostQueries } from './queries';

/** The agency-wide thresholds of the one budget model are what the forecast is drawn against. */
export function forecastBudgets(model: BudgetModel): ForecastBudget[] {
  return model.thresholds
    .filter((t) => t.scope === 'global')
    .map((t) => ({ id: t.id, period: t.period === 'day' ? ('daily' as const) : ('monthly' as const), amountMicros: t.amountMicros }));
}

/** The active profile's cost queries: Sandbox mode answers from the Sandbox database. */
export function costsHandlers(
  queries: () => CostQueries,
  budgets: () => BudgetModel,
): HandlersFor<typeof costsMethods & typeof campaignsMethods> {
  return {
    'costs.forecast': () => forecastSpend(queries().forecastInput(forecastBudgets(budgets()))),
    'costs.stats': () => queries().stats(),
    'costs.breakdown': (input) => queries().breakdown(input),
    'costs.series': (input) => queries().series(input),
    'campaigns.costs': ({ campaignId }) => queries().campaign(campaignId),
  };
}
