/**
 * Structured output as the sandbox honours it: a reply generated from the request's JSON schema
 * (objects, arrays with min/maxItems, strings with enum/maxLength, numbers, integers, booleans,
 * nullable types, anyOf), valid against it.
 *
 * The mapping rule, so a caller can map records to replies: when an array's items are objects
 * with a property that has an `enum`, and the array's minItems equals that enum's size, the
 * sandbox emits one item per enum value, in the enum's order, with that property set to it. The
 * item's free-text strings are then written for that value from the last user message: the line
 * that starts with the value (then a non-word character, e.g. `3 | Sam | whale | tags: gym`)
 * supplies a name (its first field) and details, so distinct records get distinct texts.
 */
import { createHash } from 'node:crypto';

/** Scriptable damage to a structured reply, applied to the first enum-mapped array. */
export type StructuredFault =
  /** One item missing (the array then breaks its own minItems, as a model that miscounts does). */
  | { kind: 'drop'; index?: number }
  /** One item's key is a value the enum does not hold. */
  | { kind: 'wrong_id'; index?: number }
  /** One item's text is empty. */
  | { kind: 'empty_text'; index?: number }
  /** One item repeats another's key, so a key is missing and another twice. */
  | { kind: 'duplicate'; index?: number }
  /** One item is not an object but a bare string: the rest of the reply is fine JSON. */
  | { kind: 'not_object'; index?: number }
  /** The reply stops half-way: not JSON at all. */
  | { kind: 'not_json' };

type Schema = Record<string, unknown>;

interface Mapped {
  items: Array<Record<string, unknown>>;
  key: string;
  values: unknown[];
}

const OPENERS = [
  'I was just thinking about you',
  'I saved something special for you',
  'You have been on my mind today',
  'I made something I think you will love',
  'Guess what I just finished shooting',
  'I wanted you to be the first to know',
  'You always make my day',
  'I have a little surprise waiting for you',
];

const asSchema = (v: unknown): Schema => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {});

function hashIndex(text: string, n: number): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) % n;
}

/** The line of the prompt that describes `value`: it starts with the value, then a non-word character. */
function lineFor(context: string, value: unknown): string | null {
  const v = String(value);
  for (const line of context.split('\n')) {
    const t = line.trim();
    if (t.startsWith(v) && (t.length === v.length || /\W/.test(t[v.length]!))) return t.slice(v.length).replace(/^[\s|.:)-]+/, '');
  }
  return null;
}

function textFor(field: string, context: string, value: unknown, maxLength: number | undefined): string {
  let text: string;
  const line = value === undefined ? null : lineFor(context, value);
  if (line) {
    const fields = line.split('|').map((f) => f.trim()).filter(Boolean);
    const name = fields[0] ?? 'you';
    const details = fields.slice(1).join(', ');
    text = `Hey ${name}! ${OPENERS[hashIndex(line, OPENERS.length)]}${details ? ` (${details})` : ''}. Check your messages 💕`;
  } else {
    const seed = `${field}:${String(value ?? '')}:${context.slice(-200)}`;
    text = `${OPENERS[hashIndex(seed, OPENERS.length)]}${value === undefined ? '' : ` — ${String(value)}`}.`;
  }
  return maxLength !== undefined && text.length > maxLength ? text.slice(0, maxLength) : text;
}

class Generator {
  mapped: Mapped | null = null;
  constructor(private readonly context: string) {}

  value(schema: Schema, field: string, keyValue: unknown): unknown {
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    if ('const' in schema) return schema.const;
    const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      const first = alternatives.map(asSchema).find((s) => s.type !== 'null') ?? asSchema(alternatives[0]);
      return this.value(first, field, keyValue);
    }
    const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
    switch (type) {
      case 'object':
        return this.object(schema, keyValue);
      case 'array':
        return this.array(schema, field, keyValue);
      case 'string':
        return textFor(field, this.context, keyValue, typeof schema.maxLength === 'number' ? schema.maxLength : undefined);
      case 'integer':
      case 'number':
        return typeof schema.minimum === 'number' ? (type === 'integer' ? Math.ceil(schema.minimum) : schema.minimum) : 0;
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        // No type: any JSON value is valid; a short text is the most useful one.
        return textFor(field, this.context, keyValue, undefined);
    }
  }

  object(schema: Schema, keyValue: unknown, key?: { name: string; value: unknown }): Record<string, unknown> {
    const props = asSchema(schema.properties);
    const out: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(props)) {
      out[name] = key?.name === name ? key.value : this.value(asSchema(sub), name, key?.value ?? keyValue);
    }
    return out;
  }

  array(schema: Schema, field: string, keyValue: unknown): unknown[] {
    const items = asSchema(schema.items);
    const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 1);
    const keyed = Object.entries(asSchema(items.properties)).find(([, s]) => Array.isArray(asSchema(s).enum));
    const values = keyed ? (asSchema(keyed[1]).enum as unknown[]) : null;
    if (keyed && values && min === values.length && values.length <= max) {
      const out = values.map((value) => this.object(items, value, { name: keyed[0], value }));
      this.mapped ??= { items: out, key: keyed[0], values };
      return out;
    }
    const count = Math.min(Math.max(min, 1), max);
    return Array.from({ length: count }, (_, i) => this.value(items, `${field}[${i}]`, keyValue));
  }
}

function damage(mapped: Mapped, fault: Exclude<StructuredFault, { kind: 'not_json' }>): void {
  const { items, key } = mapped;
  if (items.length === 0) return;
  const i = Math.min(Math.max(fault.index ?? 0, 0), items.length - 1);
  const item = items[i]!;
  switch (fault.kind) {
    case 'drop':
      items.splice(i, 1);
      return;
    case 'wrong_id':
      item[key] = typeof item[key] === 'number' ? 1_000_000 + i : `unknown-${String(item[key])}`;
      return;
    case 'empty_text': {
      const text = Object.keys(item).find((k) => k !== key && typeof item[k] === 'string');
      if (text) item[text] = '';
      return;
    }
    case 'duplicate':
      item[key] = items[(i + 1) % items.length]![key];
      return;
    case 'not_object':
      (items as unknown[])[i] = `${String(item[key])}: ${Object.values(item).filter((v) => typeof v === 'string').join(' ')}`;
      return;
  }
}

/** The reply text for a `json_schema` response format; `context` is the last user message. */
export function structuredReply(schema: unknown, context: string, fault?: StructuredFault): string {
  const generator = new Generator(context);
  const root = asSchema(schema);
  const value = generator.value(Object.keys(root).length ? root : { type: 'object' }, 'root', undefined);
  if (fault && fault.kind !== 'not_json' && generator.mapped) damage(generator.mapped, fault);
  const json = JSON.stringify(value);
  return fault?.kind === 'not_json' ? json.slice(0, Math.max(1, Math.floor(json.length / 2))) : json;
}
