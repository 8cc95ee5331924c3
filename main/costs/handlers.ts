import type { campaignsMethods } from '../../shared/contract/campaigns';
import type { costsMethods } from '../../shared/contract/costs';
import type { RoutingPolicy } from '../../shared/ai';
import type { ForecastBudget } from '../../shared/forecast';
import type { HandlersFor } from '../ipc/registry';
import { forecastSpend } from './forecast';
import type { CostQueries } from './queries';

/** Until budgets have their own store, the routing policy's hard limits are the budgets a forecast is drawn against. */
export function hardLimitBudgets(budget: RoutingPolicy['budget']): ForecastBudget[] {
  const out: ForecastBudget[] = [];
  if (budget.dailyHardLimitMicros !== null) out.push({ id: 'daily-hard', period: 'daily', amountMicros: budget.dailyHardLimitMicros });
  if (budget.monthlyHardLimitMicros !== null) out.push({ id: 'monthly-hard', period: 'monthly', amountMicros: budget.monthlyHardLimitMicros });
  return out;
}

/** The active profile's cost queries: Sandbox mode answers from the Sandbox database. */
export function costsHandlers(
  queries: () => CostQueries,
  budget: () => RoutingPolicy['budget'],
): HandlersFor<typeof costsMethods & typeof campaignsMethods> {
  return {
    'costs.forecast': () => forecastSpend(queries().forecastInput(hardLimitBudgets(budget()))),
    'costs.stats': () => queries().stats(),
    'costs.breakdown': (input) => queries().breakdown(input),
    'costs.series': (input) => queries().series(input),
    'campaigns.costs': ({ campaignId }) => queries().campaign(campaignId),
  };
}
