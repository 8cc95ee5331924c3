import { type DeploymentType, MODEL_CLASSES, type ModelClass, type PriceOverride, type ProviderConfig, type ProviderId } from '../../../../shared/ai';
import { setupIssues } from '../../../../shared/providerSetup';
import type { Money } from '../../lib/money';
import type { Issue } from '../../../../shared/result';

/** The three $/Mtok fields of a price override, as typed. */
export interface PriceTexts {
  priceInput: string;
  priceCached: string;
  priceOutput: string;
}

/** One model class: the main deployment (`own: false`, no entry saved) or its own deployment and price. */
export interface ClassDraft extends PriceTexts {
  own: boolean;
  deployment: string;
  baseModel: string;
}

/** What the provider form edits: text as typed, turned into a config only on Save. */
export interface ProviderDraft extends PriceTexts {
  enabled: boolean;
  endpoint: string;
  deployment: string;
  apiVersion: string;
  baseModel: string;
  firstByteTimeoutMs: string;
  totalTimeoutMs: string;
  deploymentType: DeploymentType;
  acceptUnpriced: boolean;
  classes: Record<ModelClass, ClassDraft>;
}

export type DraftField = Exclude<keyof ProviderDraft, 'classes'>;
export type ClassField = Exclude<keyof ClassDraft, 'own'>;
/** Where a problem is shown: a main field, the main price, or a class's field or price ("standard.deployment"). */
export type ErrorKey = DraftField | 'price' | `${ModelClass}.${ClassField | 'price'}`;
/** Problems found before sending, as translation keys under `providers.errors`. */
export type DraftErrors = Partial<Record<ErrorKey, string>>;

const PRICE_FIELDS = [
  ['priceInput', 'inputPerMtok'],
  ['priceCached', 'cachedInputPerMtok'],
  ['priceOutput', 'outputPerMtok'],
] as const satisfies ReadonlyArray<readonly [keyof PriceTexts, keyof PriceOverride]>;

/** Prices are typed and shown in the operator's locale ("2,50" in French), without the symbol: the field says dollars. */
export type PriceFormat = Pick<Money, 'input' | 'parse'>;

// A price reads in cents at least ("0.60"), as price lists write it.
const priceText = (micros: number, money: PriceFormat) => money.input(micros, 2);

const priceTexts = (price: PriceOverride | null | undefined, money: PriceFormat): PriceTexts => ({
  priceInput: price ? priceText(price.inputPerMtok, money) : '',
  priceCached: price ? priceText(price.cachedInputPerMtok, money) : '',
  priceOutput: price ? priceText(price.outputPerMtok, money) : '',
});

export function toDraft(config: ProviderConfig, money: PriceFormat): ProviderDraft {
  const classes = Object.fromEntries(
    MODEL_CLASSES.map((cls) => {
      const entry = config.classModels[cls];
      const draft: ClassDraft = {
        own: entry !== undefined,
        deployment: entry?.deployment ?? '',
        baseModel: entry?.baseModel ?? '',
        ...priceTexts(entry?.priceOverride, money),
      };
      return [cls, draft];
    }),
  ) as Record<ModelClass, ClassDraft>;
  return {
    enabled: config.enabled,
    endpoint: config.endpoint,
    deployment: config.deployment,
    apiVersion: config.apiVersion,
    baseModel: config.baseModel,
    ...priceTexts(config.priceOverride, money),
    firstByteTimeoutMs: String(config.firstByteTimeoutMs),
    totalTimeoutMs: String(config.totalTimeoutMs),
    deploymentType: config.deploymentType ?? 'global',
    acceptUnpriced: config.acceptUnpriced ?? false,
    classes,
  };
}

/** All three prices or none; errors keyed by price field, or `price` for a partial set. */
function readPrices(texts: PriceTexts, money: PriceFormat): { price: PriceOverride | null; errors: Partial<Record<keyof PriceTexts | 'price', string>> } {
  const errors: Partial<Record<keyof PriceTexts | 'price', string>> = {};
  const typed = PRICE_FIELDS.map(([field]) => texts[field].trim());
  if (typed.every((p) => p === '')) return { price: null, errors };
  if (typed.some((p) => p === '')) errors.price = 'priceAllOrNone';
  const parsed = PRICE_FIELDS.map(([field]) => {
    const micros = money.parse(texts[field]);
    if (micros === null && texts[field].trim() !== '') errors[field] = 'dollars';
    return micros ?? 0;
  });
  return { price: { inputPerMtok: parsed[0]!, cachedInputPerMtok: parsed[1]!, outputPerMtok: parsed[2]! }, errors };
}

const wholeNumber = (text: string): number | null => (/^\s*\d{1,9}\s*$/.test(text) ? Number(text) : null);

/** The per-class entries to save: only classes with their own deployment get one. */
function readClasses(classes: ProviderDraft['classes'], errors: DraftErrors, money: PriceFormat): ProviderConfig['classModels'] {
  const out: ProviderConfig['classModels'] = {};
  for (const cls of MODEL_CLASSES) {
    const draft = classes[cls];
    if (!draft.own) continue;
    const deployment = draft.deployment.trim();
    const baseModel = draft.baseModel.trim();
    if (!deployment) errors[`${cls}.deployment`] = 'required';
    if (!baseModel) errors[`${cls}.baseModel`] = 'required';
    const { price, errors: priceErrors } = readPrices(draft, money);
    for (const [field, key] of Object.entries(priceErrors)) errors[`${cls}.${field as keyof PriceTexts | 'price'}`] = key;
    out[cls] = price ? { deployment, baseModel, priceOverride: price } : { deployment, baseModel };
  }
  return out;
}

/**
 * The config to save, or the fields that cannot be read. Range checks are left to main, whose
 * issues come back per field.
 */
export function fromDraft(draft: ProviderDraft, base: ProviderConfig, money: PriceFormat): { config: ProviderConfig } | { errors: DraftErrors } {
  const { price: priceOverride, errors: priceErrors } = readPrices(draft, money);
  const errors: DraftErrors = { ...priceErrors };
  const classModels = readClasses(draft.classes, errors, money);
  const firstByte = wholeNumber(draft.firstByteTimeoutMs);
  const total = wholeNumber(draft.totalTimeoutMs);
  if (firstByte === null) errors.firstByteTimeoutMs = 'milliseconds';
  if (total === null) errors.totalTimeoutMs = 'milliseconds';
  if (Object.keys(errors).length > 0) return { errors };
  // Written once chosen, so settings saved before these existed read back unchanged.
  const deploymentType = base.deploymentType !== undefined || draft.deploymentType !== 'global' ? { deploymentType: draft.deploymentType } : {};
  const acceptUnpriced = base.acceptUnpriced !== undefined || draft.acceptUnpriced ? { acceptUnpriced: draft.acceptUnpriced } : {};
  return {
    config: {
      ...base,
      ...deploymentType,
      ...acceptUnpriced,
      enabled: draft.enabled,
      endpoint: draft.endpoint.trim(),
      deployment: draft.deployment.trim(),
      apiVersion: draft.apiVersion.trim(),
      baseModel: draft.baseModel.trim(),
      classModels,
      priceOverride,
      firstByteTimeoutMs: firstByte!,
      totalTimeoutMs: total!,
    },
  };
}

/**
 * The rules main checks too (HTTPS off loopback, API version, crossed timeouts), found before
 * sending and shaped as main's issues, so both are placed and worded the same way.
 */
export function checkDraft(id: ProviderId, draft: ProviderDraft, base: ProviderConfig, money: PriceFormat): { config: ProviderConfig } | { errors: DraftErrors } | { issues: Issue[] } {
  const built = fromDraft(draft, base, money);
  if ('errors' in built) return built;
  const issues = setupIssues(id, built.config).map(({ path, rule, params }) => ({ path: ['config', ...path], code: 'custom', params: { rule, ...params } }));
  return issues.length > 0 ? { issues } : built;
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
  deploymentType: 'deploymentType',
  acceptUnpriced: 'acceptUnpriced',
};

const CLASS_ISSUE_FIELDS: Record<string, ClassField | 'price'> = {
  deployment: 'deployment',
  baseModel: 'baseModel',
  priceOverride: 'price',
};

/** Which field an issue path (["config", "classModels", "standard", "deployment"]) belongs to, if any. */
function fieldOf(path: Issue['path']): ErrorKey | undefined {
  if (path[0] !== 'config') return undefined;
  if (path[1] === 'classModels') {
    const cls = MODEL_CLASSES.find((c) => c === path[2]);
    const field = typeof path[3] === 'string' ? CLASS_ISSUE_FIELDS[path[3]] : undefined;
    return cls && field ? `${cls}.${field}` : undefined;
  }
  return typeof path[1] === 'string' ? ISSUE_FIELDS[path[1]] : undefined;
}

/** Main's `invalid_input` issues placed by field; the rest are shown under the form. */
export function placeIssues(issues: Issue[]): { byField: Partial<Record<ErrorKey, Issue[]>>; general: Issue[] } {
  const byField: Partial<Record<ErrorKey, Issue[]>> = {};
  const general: Issue[] = [];
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    if (field) (byField[field] ??= []).push(issue);
    else general.push(issue);
  }
  return { byField, general };
}
