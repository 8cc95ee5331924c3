import { calcPrice } from '@pydantic/genai-prices';
import type { DeploymentType, PriceOverride, PriceSource, ProviderId, Usage } from '../../shared/ai';

/** Integer micro-dollars per million tokens: 2.5 $/Mtok is 2_500_000. */
export interface Price extends PriceOverride {
  source: PriceSource;
  /** The table's model id that matched, for display ("gpt-4o" for a deployment named "prod-chat"). */
  matchedModel: string | null;
}

const ZERO: Omit<Price, 'source' | 'matchedModel'> = { inputPerMtok: 0, cachedInputPerMtok: 0, outputPerMtok: 0 };

// genai-prices keys Azure and OpenAI separately; a local model has no list price.
const TABLE_PROVIDER: Record<ProviderId, string | null> = { azure: 'azure', openai: 'openai', local: null };

/**
 * Azure bills the same model at three rates by where the deployment runs; the table (genai-prices
 * 0.1.8) holds one Azure price per model, the Global one (it falls back to OpenAI's list price,
 * which Azure Global matches). Data Zone and Regional (Standard) deployments are listed 10 % above
 * Global: e.g. GPT-4o 2024-11-20 at $2.50 / $10.00 per Mtok input / output Global, $2.75 / $11.00
 * Data Zone and Regional. Source: https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/
 * (Standard deployment prices, as listed 2025-06). Percent, applied to table prices only: an
 * override is what the operator is actually billed.
 */
export const AZURE_UPLIFT_PERCENT: Record<DeploymentType, number> = { global: 100, data_zone: 110, regional: 110 };

/** Whole micro-dollars per Mtok, rounded half up. */
const uplift = (micros: number, percent: number) => Math.floor((micros * percent + 50) / 100);

/** $/Mtok from the table (a float) to integer µ$/Mtok; table prices have at most 6 decimals. */
const toMicrosPerMtok = (dollarsPerMtok: unknown): number | null =>
  typeof dollarsPerMtok === 'number' && Number.isFinite(dollarsPerMtok) && dollarsPerMtok >= 0 ? Math.round(dollarsPerMtok * 1_000_000) : null;

/**
 * Looks prices up by provider and the deployment's configured *base model* — never by the Azure
 * deployment name, which is free text. Results are cached: the table is matched once per model.
 */
export class PriceBook {
  private readonly cache = new Map<string, Price>();

  lookup(provider: ProviderId, baseModel: string, override: PriceOverride | null, at: Date, deploymentType: DeploymentType = 'global'): Price {
    if (override) return { ...override, source: 'override', matchedModel: baseModel };
    const percent = provider === 'azure' ? AZURE_UPLIFT_PERCENT[deploymentType] : 100;
    const key = `${provider}\u0000${baseModel}\u0000${percent}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const listed = this.fromTable(provider, baseModel, at);
    const price =
      percent === 100
        ? listed
        : {
            ...listed,
            inputPerMtok: uplift(listed.inputPerMtok, percent),
            cachedInputPerMtok: uplift(listed.cachedInputPerMtok, percent),
            outputPerMtok: uplift(listed.outputPerMtok, percent),
          };
    this.cache.set(key, price);
    return price;
  }

  private fromTable(provider: ProviderId, baseModel: string, at: Date): Price {
    const providerId = TABLE_PROVIDER[provider];
    if (!providerId || !baseModel) return { ...ZERO, source: 'unpriced', matchedModel: null };
    // A probe usage: calcPrice resolves conditional prices for the date and returns the model's price row.
    const calc = calcPrice({ input_tokens: 1, output_tokens: 1 }, baseModel, { providerId, timestamp: at });
    if (!calc) return { ...ZERO, source: 'unpriced', matchedModel: null };
    const input = toMicrosPerMtok(calc.model_price.input_mtok);
    const output = toMicrosPerMtok(calc.model_price.output_mtok);
    if (input === null || output === null) return { ...ZERO, source: 'unpriced', matchedModel: calc.model.id };
    const cached = toMicrosPerMtok(calc.model_price.cache_read_mtok) ?? input;
    return { inputPerMtok: input, cachedInputPerMtok: cached, outputPerMtok: output, source: 'table', matchedModel: calc.model.id };
  }
}

/**
 * Cost in integer micro-dollars. Cached input tokens are part of `inputTokens` (as providers
 * report them) and are billed at the cached price; the rest at the input price. Rounded half up
 * once, on the total, so a request never loses or gains more than half a micro-dollar.
 */
export function costMicros(usage: Usage, price: PriceOverride): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  // Products stay far below 2^53: a million tokens at $1000/Mtok is 1e6 * 1e9 = 1e15.
  const microsTimesMillion = uncached * price.inputPerMtok + cached * price.cachedInputPerMtok + usage.outputTokens * price.outputPerMtok;
  return Math.floor((microsTimesMillion + 500_000) / 1_000_000);
}
