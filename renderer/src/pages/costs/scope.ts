import { useLocation, useSearch } from 'wouter';
import { paths } from '../../routing/routes';

export type CostScope = 'seat' | 'team';

/**
 * The Costs page's scope lives in the URL, so Back returns to the other scope and a reload keeps
 * it. The seat scope is written out (`?scope=seat`) rather than dropped: with hash routing a URL
 * without a search would leave the previous `?scope=team` in place.
 */
export function useCostScope(): [CostScope, (scope: CostScope) => void] {
  const search = useSearch();
  const [, navigate] = useLocation();
  const scope: CostScope = new URLSearchParams(search).get('scope') === 'team' ? 'team' : 'seat';
  return [scope, (next) => next !== scope && navigate(`${paths.page('costs')}?scope=${next}`)];
}
