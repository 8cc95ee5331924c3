import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_FALLBACK_CHARS,
  parseTemplate,
  printTemplate,
  renderTemplate,
  TEMPLATE_VARIABLE_NAMES,
  TEMPLATE_VARIABLES,
  type TemplateFan,
  type TemplatePart,
  templateValues,
} from '../../shared/template';

/** Text likely to hit the grammar: braces, bars, names, accents, emoji, plus anything at all. */
const piece = fc.oneof(
  fc.constantFrom('{', '}', '{{', '}}', '|', ' ', 'é', '😀', 'Ça', '\n'),
  fc.constantFrom(...TEMPLATE_VARIABLE_NAMES, 'nmae', 'first_name', ''),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const anyTemplate = fc.oneof(fc.array(piece, { maxLength: 30 }).map((ps) => ps.join('')), fc.string({ unit: 'grapheme', maxLength: 200 }));

const value = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const anyFan: fc.Arbitrary<TemplateFan> = fc.record(
  {
    name: value(fc.string({ unit: 'grapheme', maxLength: 120 })),
    displayName: value(fc.string({ unit: 'grapheme', maxLength: 120 })),
    totalSpendMicros: value(fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER))),
    subscribedDays: value(fc.oneof(fc.integer(), fc.double())),
    creatorName: value(fc.string({ maxLength: 30 })),
  },
  { requiredKeys: [] },
);
/** Fans from an import may hold anything, so rendering is also tried against arbitrary values. */
const wildFan = fc.oneof(anyFan, fc.anything().map((v) => v as TemplateFan));

/** A valid template built from parts: text without braces in the way it will be printed, and known variables. */
const fallbackArb = fc.option(fc.string({ maxLength: MAX_FALLBACK_CHARS }).filter((s) => !/[{}]/.test(s)), { nil: null });
const partArb: fc.Arbitrary<TemplatePart> = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((text) => ({ kind: 'text' as const, text })),
  fc.record({ name: fc.constantFrom(...TEMPLATE_VARIABLE_NAMES), fallback: fallbackArb }).map((v) => ({ kind: 'variable' as const, ...v, start: 0, end: 0 })),
);
const validTemplate = fc.array(partArb, { maxLength: 12 }).map((parts) => printTemplate(parts));

const shape = (parts: TemplatePart[]) => parts.map((p) => (p.kind === 'text' ? p : { kind: p.kind, name: p.name, fallback: p.fallback }));

describe('template language (fast-check)', () => {
  it('any string as template and any fan render without throwing, to a string', () => {
    fc.assert(
      fc.property(anyTemplate, wildFan, (template, fan) => {
        expect(typeof renderTemplate(template, fan)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('every problem lies within the text (0 ≤ start < end ≤ length), in order', () => {
    fc.assert(
      fc.property(anyTemplate, (template) => {
        const { problems } = parseTemplate(template);
        let last = 0;
        for (const p of problems) {
          expect(p.start).toBeGreaterThanOrEqual(0);
          expect(p.end).toBeGreaterThan(p.start);
          expect(p.end).toBeLessThanOrEqual(template.length);
          expect(p.start).toBeGreaterThanOrEqual(last);
          last = p.start;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a valid template round-trips: parse → print → parse gives the same parts, and printing is stable', () => {
    fc.assert(
      fc.property(validTemplate, (template) => {
        const first = parseTemplate(template);
        expect(first.problems).toEqual([]);
        const printed = printTemplate(first.parts);
        const second = parseTemplate(printed);
        expect(second.problems).toEqual([]);
        expect(shape(second.parts)).toEqual(shape(first.parts));
        expect(printTemplate(second.parts)).toBe(printed);
      }),
      { numRuns: 1000 },
    );
  });

  it('every variable whose value is missing or blank renders its fallback, else its default; present values render as themselves', () => {
    const blankFan = fc.record(
      { name: fc.constantFrom(null, undefined, '', '   '), displayName: fc.constantFrom(null, undefined, '', '\t'), totalSpendMicros: fc.constantFrom(null, undefined, -5, 1.5, Number.NaN), subscribedDays: fc.constantFrom(null, undefined, -1), creatorName: fc.constantFrom(null, '') },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(partArb, { maxLength: 12 }), fc.oneof(blankFan, anyFan), (parts, fan) => {
        const values = templateValues(fan);
        const expected = parts
          .map((p) => (p.kind === 'text' ? p.text : (values[p.name] ?? p.fallback ?? TEMPLATE_VARIABLES[p.name].default)))
          .join('');
        expect(renderTemplate(printTemplate(parts), fan)).toBe(expected);
        for (const p of parts) {
          if (p.kind === 'variable' && values[p.name] === null) {
            const alone = renderTemplate(printTemplate([p]), fan);
            expect(alone).toBe(p.fallback ?? TEMPLATE_VARIABLES[p.name].default);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
