import { MODEL_CLASSES, type PriceOverride, type ProviderConfig, type ProviderId } from '../../shared/ai';
import type { SetupIssue } from '../../shared/providerSetup';
import type { PriceBook } from './pricing';

/** An override beyond this factor of the table's price, either way, is more likely a typo than a deal. */
export const FAR_OFF_FACTOR = 10;

const farOff = (mine: number, listed: number) => listed > 0 && (mine > listed * FAR_OFF_FACTOR || mine * FAR_OFF_FACTOR < listed);

/**
 * What Save refuses on price grounds: a base model the table does not know, with no price and no
 * "accept unpriced" (it would be costed at $0), and, unless `confirmed`, an override more than ten
 * times off the table's input or output price. A local model has no list price to compare: it is
 * left alone.
 */
export function priceIssues(prices: PriceBook, provider: ProviderId, config: ProviderConfig, at: Date, confirmed: boolean): SetupIssue[] {
  if (provider === 'local') return [];
  const issues: SetupIssue[] = [];
  const check = (at_: (string | number)[], baseModel: string, override: PriceOverride | null) => {
    if (!baseModel) return;
    const listed = prices.lookup(provider, baseModel, null, at, config.deploymentType);
    if (listed.source === 'unpriced') {
      if (!override && !config.acceptUnpriced) issues.push({ path: [...at_, 'baseModel'], rule: 'unpriced', params: { baseModel } });
      return;
    }
    if (override && !confirmed && (farOff(override.inputPerMtok, listed.inputPerMtok) || farOff(override.outputPerMtok, listed.outputPerMtok))) {
      issues.push({
        path: [...at_, 'priceOverride'],
        rule: 'price_far_off',
        params: { baseModel, inputPerMtok: listed.inputPerMtok, outputPerMtok: listed.outputPerMtok },
      });
    }
  };
  check([], config.baseModel || config.deployment, config.priceOverride);
  for (const cls of MODEL_CLASSES) {
    const entry = config.classModels[cls];
    if (entry) check(['classModels', cls], entry.baseModel, entry.priceOverride ?? null);
  }
  return issues;
}
