/**
 * TEMPORARY stand-in for `renderTemplate` from shared/template.ts, which lands with the campaign
 * store in parallel. Same signature; the lead swaps the import in generate.ts at merge and
 * deletes this file. Supports `{variable}`, `{variable|fallback}`, `{{`/`}}`; never throws.
 */
export interface TemplateFan {
  name?: string | null;
  displayName?: string | null;
  totalSpendMicros?: number | null;
  subscribedDays?: number | null;
  creatorName?: string | null;
}

function values(fan: TemplateFan | null | undefined): Record<string, string | null> {
  const f = fan ?? {};
  const t = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const name = t(f.name);
  const displayName = t(f.displayName);
  const spend = typeof f.totalSpendMicros === 'number' ? `$${(f.totalSpendMicros / 1_000_000).toFixed(2)}` : null;
  return {
    name,
    displayName,
    firstName: t((displayName ?? name ?? '').split(/\s+/u)[0]),
    totalSpend: spend,
    subscribedDays: typeof f.subscribedDays === 'number' ? String(f.subscribedDays) : null,
    creatorName: t(f.creatorName),
  };
}

export function renderTemplate(template: string, fan: TemplateFan | null | undefined): string {
  const v = values(fan);
  return template
    .replace(/\{\{|\}\}|\{([A-Za-z]+)(?:\|([^{}]*))?\}/g, (whole, name: string | undefined, fallback: string | undefined) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      return (name && v[name]) ?? fallback ?? '';
    });
}
