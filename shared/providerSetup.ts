/**
 * Provider setup rules shared by the form and main, so both refuse the same settings for the same
 * reasons, and the reading of whatever an operator pastes from the Azure portal.
 */
import type { ProviderConfig, ProviderId } from './ai';

/**
 * Azure OpenAI data-plane versions in use (GA and preview). Others are accepted in their date form,
 * since Azure publishes new ones every few months and the app should not lag behind them.
 */
export const KNOWN_API_VERSIONS = [
  '2024-02-01',
  '2024-06-01',
  '2024-10-21',
  '2024-12-01-preview',
  '2025-01-01-preview',
  '2025-03-01-preview',
  '2025-04-01-preview',
] as const;

const API_VERSION_DATE = /^(\d{4})-(\d{2})-(\d{2})(-preview)?$/;

/** The refinements a provider config can break; the renderer words each under `providerSetup.rules`. */
export const SETUP_RULES = ['https_required', 'api_version', 'first_byte_over_total', 'unpriced', 'price_far_off'] as const;
export type SetupRule = (typeof SETUP_RULES)[number];
export const isSetupRule = (rule: unknown): rule is SetupRule => (SETUP_RULES as readonly unknown[]).includes(rule);

export interface SetupIssue {
  /** Inside the config: ['endpoint'], ['classModels', 'standard', 'baseModel']… */
  path: (string | number)[];
  rule: SetupRule;
  params: Record<string, string | number>;
}

/** 127.0.0.1 (any 127/8), ::1 and localhost: the only places a key may travel without TLS. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function isApiVersion(text: string): boolean {
  if ((KNOWN_API_VERSIONS as readonly string[]).includes(text)) return true;
  const m = API_VERSION_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A real calendar day, in the years Azure OpenAI has existed and a little beyond.
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2022 && year <= 2099 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What the shape alone cannot say: plain HTTP off loopback, an unknown API version, crossed timeouts. */
export function setupIssues(id: ProviderId, config: Pick<ProviderConfig, 'endpoint' | 'apiVersion' | 'firstByteTimeoutMs' | 'totalTimeoutMs'>): SetupIssue[] {
  const issues: SetupIssue[] = [];
  if (config.endpoint) {
    try {
      const url = new URL(config.endpoint);
      if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) issues.push({ path: ['endpoint'], rule: 'https_required', params: { host: url.hostname } });
    } catch {
      // Not a URL at all: the schema's own url check says so.
    }
  }
  const version = config.apiVersion.trim();
  if (id === 'azure' && version !== '' && !isApiVersion(version)) {
    issues.push({ path: ['apiVersion'], rule: 'api_version', params: { example: KNOWN_API_VERSIONS[2] } });
  }
  if (config.firstByteTimeoutMs > config.totalTimeoutMs) {
    issues.push({ path: ['firstByteTimeoutMs'], rule: 'first_byte_over_total', params: { total: config.totalTimeoutMs } });
  }
  return issues;
}

/** What a paste yielded: always an endpoint, and the deployment and API version when the URL named them. */
export interface AzurePaste {
  endpoint: string;
  deployment?: string;
  apiVersion?: string;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`]+/i;
// A bare host as some portal pages show it: "myres.openai.azure.com" or "myres.cognitiveservices.azure.com/".
const BARE_HOST = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i;

/**
 * Reads whatever the operator pasted: a full `…/openai/deployments/D/chat/completions?api-version=V`
 * URL, the resource endpoint alone, a bare host, or a curl line or label around any of those.
 * Returns null when the text holds nothing that looks like an address.
 */
export function parseAzurePaste(text: string): AzurePaste | null {
  const trimmed = text.trim().replace(/^[<("']+|[>)"',;]+$/g, '');
  const found = URL_IN_TEXT.exec(trimmed)?.[0] ?? (BARE_HOST.test(trimmed) ? `https://${trimmed}` : null);
  if (!found) return null;
  let url: URL;
  try {
    url = new URL(found.replace(/[)"',;.]+$/, ''));
  } catch {
    return null;
  }
  if (!url.hostname) return null;
  const result: AzurePaste = { endpoint: `${url.protocol}//${url.host}` };
  const segments = url.pathname.split('/').filter(Boolean);
  const at = segments.findIndex((s) => s.toLowerCase() === 'deployments');
  const name = at >= 0 ? segments[at + 1] : undefined;
  if (name) {
    try {
      result.deployment = decodeURIComponent(name);
    } catch {
      result.deployment = name;
    }
  }
  // Parameter names are matched without regard to case: "API-Version" turns up in copied docs.
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === 'api-version' && value.trim()) result.apiVersion = value.trim();
  return result;
}
