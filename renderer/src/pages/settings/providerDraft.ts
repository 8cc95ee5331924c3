import type { PriceOverride, ProviderConfig } from '../../../../shared/ai';
import { formatMicros, parseDollars } from '../../../../shared/money';

/** What the provider form edits: text as typed, turned into a config only on Save. */
export interface ProviderDraft {
  enabled: boolean;
  endpoint: string;
  deployment: string;
  apiVersion: string;
  baseModel: string;
  priceInput: string;
  priceCached: string;
  priceOutput: string;
  firstByteTimeoutMs: string;
  totalTimeoutMs: string;
}

export type DraftField = keyof ProviderDraft;
/** Problems found before sending, as translation keys under `providers.errors`. */
export type DraftErrors = Partial<Record<DraftField | 'price', string>>;

const PRICE_FIELDS = [
  ['priceInput', 'inputPerMtok'],
  ['priceCached', 'cachedInputPerMtok'],
  ['priceOutput', 'outputPerMtok'],
] as const satisfies ReadonlyArray<readonly [DraftField, keyof PriceOverride]>;

/** "$2.50" → "2.50": the field is labelled in dollars already. */
const dollars = (micros: number) => formatMicros(micros).replace('$', '');

export function toDraft(config: ProviderConfig): ProviderDraft {
  const price = config.priceOverride;
  return {
    enabled: config.enabled,
    endpoint: config.endpoint,
    deployment: config.deployment,
    apiVersion: config.apiVersion,
    baseModel: config.baseModel,
    priceInput: price ? dollars(price.inputPerMtok) : '',
    priceCached: price ? dollars(price.cachedInputPerMtok) : '',
    priceOutput: price ? dollars(price.outputPerMtok) : '',
    firstByteTimeoutMs: String(config.firstByteTimeoutMs),
    totalTimeoutMs: String(config.totalTimeoutMs),
  };
}

const wholeNumber = (text: string): number | null => (/^\s*\d{1,9}\s*$/.test(text) ? Number(text) : null);

/**
 * The config to save, keeping what the form does not edit (per-class models) from `base`; or the
 * fields that cannot be read. Range checks are left to main, whose issues come back per field.
 */
export function fromDraft(draft: ProviderDraft, base: ProviderConfig): { config: ProviderConfig } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  const prices = PRICE_FIELDS.map(([field]) => draft[field].trim());
  let priceOverride: PriceOverride | null = null;
  if (prices.some((p) => p !== '')) {
    if (prices.some((p) => p === '')) errors.price = 'priceAllOrNone';
    const parsed = PRICE_FIELDS.map(([field]) => {
      const micros = parseDollars(draft[field]);
      if (micros === null && draft[field].trim() !== '') errors[field] = 'dollars';
      return micros ?? 0;
    });
    priceOverride = { inputPerMtok: parsed[0]!, cachedInputPerMtok: parsed[1]!, outputPerMtok: parsed[2]! };
  }
  const firstByte = wholeNumber(draft.firstByteTimeoutMs);
  const total = wholeNumber(draft.totalTimeoutMs);
  if (firstByte === null) errors.firstByteTimeoutMs = 'milliseconds';
  if (total === null) errors.totalTimeoutMs = 'milliseconds';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    config: {
      ...base,
      enabled: draft.enabled,
      endpoint: draft.endpoint.trim(),
      deployment: draft.deployment.trim(),
      apiVersion: draft.apiVersion.trim(),
      baseModel: draft.baseModel.trim(),
      priceOverride,
      firstByteTimeoutMs: firstByte!,
      totalTimeoutMs: total!,
    },
  };
}

const ISSUE_FIELDS: Record<string, DraftField | 'price'> = {
  enabled: 'enabled',
  endpoint: 'endpoint',
  deployment: 'deployment',
  apiVersion: 'apiVersion',
  baseModel: 'baseModel',
  priceOverride: 'price',
  firstByteTimeoutMs: 'firstByteTimeoutMs',
  totalTimeoutMs: 'totalTimeoutMs',
};

/** Main's `invalid_input` issues ("config.endpoint: must be an http(s) URL") placed by field. */
export function placeIssues(issues: string[]): { byField: Partial<Record<DraftField | 'price', string>>; general: string[] } {
  const byField: Partial<Record<DraftField | 'price', string>> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const m = /^config\.(\w+)[\w.]*: (.*)$/.exec(issue);
    const field = m ? ISSUE_FIELDS[m[1]!] : undefined;
    if (field && m) byField[field] = byField[field] ? `${byField[field]}; ${m[2]}` : m[2];
    else general.push(issue);
  }
  return { byField, general };
}
