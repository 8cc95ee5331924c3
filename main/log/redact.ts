// Providers quote keys back in errors ("Incorrect API key provided: sk-abc…xyz"); an Azure key is 32 hex digits.
const KEY_LIKE = /\b(?:sk-[A-Za-z0-9_*.-]{4,}|[0-9a-f]{32})\b/gi;
/** Field names whose values are secrets whatever they look like. */
const SECRET_FIELD = /^(?:api[-_]?key|secret|token|password|authorization|ciphertext|dataKey|webhook(?:Url)?)$/i;
const MAX_DEPTH = 6;

/** Provider messages travel to the screen, the log and the ledger: never with a key in them. */
export const redactKeys = (message: string): string => message.replace(KEY_LIKE, '[redacted key]');

/** A copy of log fields with secret-named fields blanked and key-like strings scrubbed, however deep. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactKeys(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : redactFields(v, depth + 1);
  return out;
}
