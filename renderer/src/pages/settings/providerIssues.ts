import type { TFunction } from 'i18next';
import { isSetupRule } from '../../../../shared/providerSetup';
import type { Issue } from '../../../../shared/result';
import { describeIssue } from '../../api/errors';
import type { Money } from '../../lib/money';
import type { placeIssues } from './providerDraft';

export type Placed = ReturnType<typeof placeIssues>;
export const NO_ISSUES: Placed = { byField: {}, general: [] };

/**
 * Main's issues, worded: the provider setup rules (HTTPS, API version, timeouts, prices) under
 * `providerSetup.rules`, with their prices in the operator's locale; every other rule as usual.
 */
export function describeSetupIssue(t: TFunction, money: Pick<Money, 'exact'>, issue: Issue, withField = false): string {
  const rule = issue.params.rule;
  if (issue.code !== 'custom' || !isSetupRule(rule)) return describeIssue(t, issue, withField);
  const price = (key: string) => (typeof issue.params[key] === 'number' ? money.exact(issue.params[key]) : '');
  return t(`providerSetup.rules.${rule}`, { ...issue.params, input: price('inputPerMtok'), output: price('outputPerMtok') });
}

/** A price far off the table's, anywhere in the card: Save then asks for confirmation. */
export const farOffIssue = (placed: Placed): boolean =>
  [...Object.values(placed.byField).flat(), ...placed.general].some((i) => i?.params.rule === 'price_far_off');
