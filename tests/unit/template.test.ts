import { describe, expect, it } from 'vitest';
import { MAX_FALLBACK_CHARS, MAX_TEMPLATE_CHARS, MAX_VALUE_CHARS, parseTemplate, printTemplate, renderTemplate, type TemplateFan } from '../../shared/template';

const ana: TemplateFan = { name: 'ana_92', displayName: 'Ana María', totalSpendMicros: 1_234_560_000, subscribedDays: 41, creatorName: 'Mia' };
const problems = (t: string) => parseTemplate(t).problems;
/** The underlined text of each problem, which is what the editor shows. */
const spans = (t: string) => problems(t).map((p) => [p.code, t.slice(p.start, p.end)]);

describe('template parsing: each problem with its position', () => {
  it('unknown variable, with a "did you mean" for near misses and none for nonsense', () => {
    expect(problems('Hi {nmae}!')).toEqual([{ code: 'unknown_variable', start: 3, end: 9, name: 'nmae', suggestion: 'name' }]);
    expect(problems('{first_name|toi}')[0]).toMatchObject({ code: 'unknown_variable', start: 0, end: 16, suggestion: 'firstName' });
    expect(problems('{FirstName}')[0]).toMatchObject({ suggestion: 'firstName' });
    expect(problems('{zzzzzz}')[0]).toEqual({ code: 'unknown_variable', start: 0, end: 8, name: 'zzzzzz' });
  });

  it('unbalanced braces: an opening brace never closed, a closing brace never opened', () => {
    expect(spans('Hi {name')).toEqual([['unbalanced_open', '{']]);
    expect(problems('Hi {name')[0]).toMatchObject({ start: 3, end: 4 });
    expect(problems('Hi name} x')).toEqual([{ code: 'unbalanced_close', start: 7, end: 8 }]);
    // The first `{` opens nothing (another starts before it closes); the second is a good variable.
    expect(parseTemplate('a { b {name}').problems).toEqual([{ code: 'unbalanced_open', start: 2, end: 3 }]);
    expect(parseTemplate('a { b {name}').parts).toEqual([{ kind: 'text', text: 'a { b ' }, { kind: 'variable', name: 'name', fallback: null, start: 6, end: 12 }]);
  });

  it('empty variable, with or without a fallback', () => {
    expect(problems('x {} y')).toEqual([{ code: 'empty_variable', start: 2, end: 4 }]);
    expect(problems('{ |babe}')).toEqual([{ code: 'empty_variable', start: 0, end: 8 }]);
  });

  it('a fallback containing a brace', () => {
    expect(spans('Hey {name|b{a}be}')).toEqual([['brace_in_fallback', '{name|b{a}'], ['unbalanced_close', '}']]);
    expect(problems('Hey {name|b{abe')[0]).toMatchObject({ code: 'unbalanced_open', start: 4 });
  });

  it('length limits: a long fallback, a long template (flagged past the limit, never cut)', () => {
    const fallback = 'x'.repeat(MAX_FALLBACK_CHARS + 1);
    expect(problems(`{name|${fallback}}`)).toEqual([{ code: 'fallback_too_long', start: 0, end: fallback.length + 7, maximum: MAX_FALLBACK_CHARS }]);
    expect(problems(`{name|${'x'.repeat(MAX_FALLBACK_CHARS)}}`)).toEqual([]);
    const long = 'a'.repeat(MAX_TEMPLATE_CHARS + 5);
    expect(problems(long)).toEqual([{ code: 'too_long', start: MAX_TEMPLATE_CHARS, end: MAX_TEMPLATE_CHARS + 5, maximum: MAX_TEMPLATE_CHARS }]);
    expect(problems('a'.repeat(MAX_TEMPLATE_CHARS))).toEqual([]);
  });

  it('several problems come back in text order', () => {
    expect(spans('} {nope} {')).toEqual([['unbalanced_close', '}'], ['unknown_variable', '{nope}'], ['unbalanced_open', '{']]);
  });

  it('{{ and }} are literal braces, also around a variable', () => {
    const parsed = parseTemplate('{{name}} is {{{name}}}');
    expect(parsed.problems).toEqual([]);
    expect(renderTemplate('{{name}} is {{{name}}}', ana)).toBe('{name} is {ana_92}');
    expect(printTemplate(parsed.parts)).toBe('{{name}} is {{{name}}}');
  });

  it('positions are UTF-16 offsets: after emoji and accents, slice() gives the underlined text', () => {
    const t = 'Coucou 😘💕 ma chérie {prénom|toi} !';
    const [p] = problems(t);
    expect(p).toMatchObject({ code: 'unknown_variable', name: 'prénom' });
    expect(t.slice(p!.start, p!.end)).toBe('{prénom|toi}');
    expect(p!.start).toBe(t.indexOf('{'));
  });
});

describe('template rendering', () => {
  it('fills every variable from the fan', () => {
    expect(renderTemplate('{name} {displayName} {firstName} {totalSpend} {subscribedDays} {creatorName}', ana)).toBe('ana_92 Ana María Ana $1,234.56 41 Mia');
  });

  it('keeps French accents and emoji intact, in text, values and fallbacks', () => {
    const t = 'Salut {firstName|ma belle} 💋, ça fait {subscribedDays|quelques} jours — merci ✨ {{ému}}';
    expect(renderTemplate(t, { displayName: 'Éloïse Dupré', subscribedDays: 3 })).toBe('Salut Éloïse 💋, ça fait 3 jours — merci ✨ {ému}');
    expect(renderTemplate(t, {})).toBe('Salut ma belle 💋, ça fait quelques jours — merci ✨ {ému}');
    expect(renderTemplate('{displayName|👑}', { displayName: '🌸 Zoé 🌸' })).toBe('🌸 Zoé 🌸');
  });

  it('gives blank, missing or malformed values their fallback, or the defined default', () => {
    expect(renderTemplate('Hey {firstName|babe}!', { displayName: '   ' })).toBe('Hey babe!');
    expect(renderTemplate('Hey {firstName}!', {})).toBe('Hey !');
    expect(renderTemplate('{totalSpend} / {subscribedDays}', { totalSpendMicros: -1, subscribedDays: 2.5 })).toBe('$0.00 / 0');
    expect(renderTemplate('{firstName|x}', { name: 'solo' })).toBe('solo');
    expect(renderTemplate('{name|}', {})).toBe('');
  });

  it('caps a fan value without splitting an emoji', () => {
    const huge = `${'a'.repeat(MAX_VALUE_CHARS - 1)}😀tail`;
    const out = renderTemplate('{displayName}', { displayName: huge });
    expect(out).toBe('a'.repeat(MAX_VALUE_CHARS - 1));
    // No lone surrogate left at the cut.
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('a broken template still renders: broken spans as written, good variables filled', () => {
    expect(renderTemplate('Hi {nmae|x}, {name} {', ana)).toBe('Hi {nmae|x}, ana_92 {');
  });
});
