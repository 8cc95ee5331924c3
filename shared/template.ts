/**
 * The campaign template language, shared by the composer (which underlines problems as the
 * operator types) and the core (which renders every message, also when AI is unreachable).
 *
 *   Hi {firstName|babe}, thanks for the {totalSpend}!   →   Hi Ana, thanks for the $120.50!
 *
 * - `{variable}` is replaced by the fan's value, `{variable|fallback}` by the fallback when the
 *   fan has no value (missing, or blank). Without a fallback a missing value renders as the
 *   variable's default (TEMPLATE_VARIABLES below).
 * - `{{` and `}}` are a literal `{` and `}`. A fallback holds no brace at all.
 * - Positions are UTF-16 code-unit offsets (what `String.prototype.slice` and a textarea's
 *   selection use), `start` inclusive and `end` exclusive.
 *
 * Parsing never throws; rendering never throws, even on a broken template, where each broken
 * span renders as its own source text so a preview still shows something.
 */
import { formatMicros } from './money';

/**
 * The closed list of variables. Defaults are neutral (empty for names) because the operator's
 * language is unknown here: a fallback is how a template says "babe" or "toi".
 */
export const TEMPLATE_VARIABLES = {
  /** The fan's username on the platform. */
  name: { default: '' },
  /** The name the fan shows on their profile. */
  displayName: { default: '' },
  /** The first word of the display name (else of the username). */
  firstName: { default: '' },
  /** Lifetime spend with the creator, in dollars ("$1,234.50"). */
  totalSpend: { default: '$0.00' },
  /** Whole days since the fan subscribed. */
  subscribedDays: { default: '0' },
  /** The creator account's name. */
  creatorName: { default: '' },
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export const TEMPLATE_VARIABLE_NAMES = Object.keys(TEMPLATE_VARIABLES) as TemplateVariable[];

/** A message a platform accepts comfortably; the editor flags anything longer. */
export const MAX_TEMPLATE_CHARS = 4000;
export const MAX_FALLBACK_CHARS = 100;
/** A fan's value is cut here, so a hostile display name cannot balloon a message. */
export const MAX_VALUE_CHARS = 100;

/** What a fan brings to a template. Every field is optional: imported fans are often partial. */
export interface TemplateFan {
  name?: string | null;
  displayName?: string | null;
  totalSpendMicros?: number | null;
  subscribedDays?: number | null;
  creatorName?: string | null;
}

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: TemplateVariable; fallback: string | null; start: number; end: number };

export const TEMPLATE_PROBLEMS = ['unknown_variable', 'unbalanced_open', 'unbalanced_close', 'empty_variable', 'brace_in_fallback', 'fallback_too_long', 'too_long'] as const;
export type TemplateProblemCode = (typeof TEMPLATE_PROBLEMS)[number];

export interface TemplateProblem {
  code: TemplateProblemCode;
  start: number;
  end: number;
  /** The unknown name, and the closest known one when there is one ("did you mean"). */
  name?: string;
  suggestion?: TemplateVariable;
  maximum?: number;
}

export interface ParsedTemplate {
  /** Adjacent text merged, so equal templates give equal parts. Broken spans appear as text. */
  parts: TemplatePart[];
  problems: TemplateProblem[];
}

const isVariable = (name: string): name is TemplateVariable => Object.hasOwn(TEMPLATE_VARIABLES, name);

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === '{' && template[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (ch === '}' && template[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (ch === '}') {
      problems.push({ code: 'unbalanced_close', start: i, end: i + 1 });
      text += ch;
      i += 1;
    } else if (ch === '{') {
      const close = template.indexOf('}', i + 1);
      const open = template.indexOf('{', i + 1);
      const body = close === -1 ? '' : template.slice(i + 1, close);
      if (close === -1 || (open !== -1 && open < close)) {
        // A `|` before the next `{` means the operator was writing a fallback and put a brace in it.
        const bar = template.indexOf('|', i + 1);
        if (close !== -1 && bar !== -1 && bar < open) {
          problems.push({ code: 'brace_in_fallback', start: i, end: close + 1 });
          text += template.slice(i, close + 1);
          i = close + 1;
        } else {
          problems.push({ code: 'unbalanced_open', start: i, end: i + 1 });
          text += ch;
          i += 1;
        }
        continue;
      }
      const end = close + 1;
      const bar = body.indexOf('|');
      const name = (bar === -1 ? body : body.slice(0, bar)).trim();
      const fallback = bar === -1 ? null : body.slice(bar + 1);
      const problem = variableProblem(name, fallback, i, end);
      if (problem) {
        problems.push(problem);
        text += template.slice(i, end);
      } else {
        flush();
        parts.push({ kind: 'variable', name: name as TemplateVariable, fallback, start: i, end });
      }
      i = end;
    } else {
      text += ch;
      i += 1;
    }
  }
  flush();
  if (template.length > MAX_TEMPLATE_CHARS) problems.push({ code: 'too_long', start: MAX_TEMPLATE_CHARS, end: template.length, maximum: MAX_TEMPLATE_CHARS });
  problems.sort((a, b) => a.start - b.start);
  return { parts, problems };
}

function variableProblem(name: string, fallback: string | null, start: number, end: number): TemplateProblem | null {
  if (name === '') return { code: 'empty_variable', start, end };
  if (!isVariable(name)) {
    const suggestion = closestVariable(name);
    return { code: 'unknown_variable', start, end, name: cut(name, 40), ...(suggestion ? { suggestion } : {}) };
  }
  if (fallback !== null && fallback.length > MAX_FALLBACK_CHARS) return { code: 'fallback_too_long', start, end, maximum: MAX_FALLBACK_CHARS };
  return null;
}

/** `first_name`, `FirstName`, `fisrtName` → firstName: case and separators ignored, then at most 2 edits. */
function closestVariable(name: string): TemplateVariable | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_.-]/g, '');
  const wanted = norm(name);
  if (wanted.length > 40) return undefined;
  let best: { name: TemplateVariable; distance: number } | undefined;
  for (const candidate of TEMPLATE_VARIABLE_NAMES) {
    const distance = editDistance(wanted, norm(candidate));
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Parts back to source: the canonical spelling (`{name|fallback}`, braces in text doubled). */
export function printTemplate(parts: readonly TemplatePart[]): string {
  return parts
    .map((p) => (p.kind === 'text' ? p.text.replaceAll('{', '{{').replaceAll('}', '}}') : p.fallback === null ? `{${p.name}}` : `{${p.name}|${p.fallback}}`))
    .join('');
}

/** Cut at a code-unit count without splitting an emoji's surrogate pair. */
const cut = (s: string, max: number) => {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
};

const text = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? cut(t, MAX_VALUE_CHARS) : null;
};
const whole = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);

/**
 * Each variable's value for this fan, or null when the fan has none. Reads defensively: a fan
 * row from an import may hold anything, and rendering must not throw.
 */
export function templateValues(fan: TemplateFan | null | undefined): Record<TemplateVariable, string | null> {
  const f = (fan ?? {}) as Record<string, unknown>;
  const name = text(f.name);
  const displayName = text(f.displayName);
  const spend = whole(f.totalSpendMicros);
  const days = whole(f.subscribedDays);
  return {
    name,
    displayName,
    firstName: text((displayName ?? name ?? '').split(/\s+/u)[0]),
    totalSpend: spend === null ? null : formatMicros(spend, { minDecimals: 2, maxDecimals: 2 }),
    subscribedDays: days === null ? null : String(days),
    creatorName: text(f.creatorName),
  };
}

/** The message for one fan. Never throws; a missing value gets its fallback, else its default. */
export function renderTemplate(template: string, fan: TemplateFan | null | undefined): string {
  const source = typeof template === 'string' ? template : '';
  const values = templateValues(fan);
  return parseTemplate(source)
    .parts.map((p) => (p.kind === 'text' ? p.text : (values[p.name] ?? p.fallback ?? TEMPLATE_VARIABLES[p.name].default)))
    .join('');
}
