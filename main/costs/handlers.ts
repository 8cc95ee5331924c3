import type { campaignsMethods } from '../../shared/contract/campaigns';
import type { costsMethods } from '../../shared/contract/costs';
import type { HandlersFor } from '../ipc/registry';
import type { CostQueries } from './queries';

/** The active profile's cost queries: Sandbox mode answers from the Sandbox database. */
export function costsHandlers(queries: () => CostQueries): HandlersFor<typeof costsMethods & typeof campaignsMethods> {
  return {
    'costs.stats': () => queries().stats(),
    'costs.breakdown': (input) => queries().breakdown(input),
    'costs.series': (input) => queries().series(input),
    'campaigns.costs': ({ campaignId }) => queries().campaign(campaignId),
  };
}
