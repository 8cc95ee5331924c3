import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { type Message, say } from '../../renderer/src/lib/message';

// The renderer's own word lists and options, in an instance of its own (the renderer's module touches the DOM).
const words = (lang: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'renderer', 'src', 'i18n', 'locales', `${lang}.json`), 'utf8')) as object;
const i18n = i18next.createInstance();
void i18n.init({ resources: { en: { translation: words('en') }, fr: { translation: words('fr') } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false }, initAsync: false });
const en = i18n.getFixedT('en');
const fr = i18n.getFixedT('fr');

describe('a notice keeps its key and is worded in the language asked for', () => {
  it('words a key with its values in each language', () => {
    const m: Message = { key: 'limits.export.downloaded', values: { count: 3 } };
    expect(say(en, m)).toBe(en('limits.export.downloaded', { count: 3 }));
    expect(say(fr, m)).toBe(fr('limits.export.downloaded', { count: 3 }));
    expect(say(fr, m)).not.toBe(say(en, m));
    expect(say(en, m)).toContain('3');
  });

  it('words an error inside its wrapping line, issues included', () => {
    const m: Message = {
      error: { kind: 'invalid_input', code: 'invalid_input', params: {}, issues: [{ path: ['name'], code: 'too_small', params: { origin: 'string', minimum: 2 } }] },
      wrap: 'keychain.retryFailed',
    };
    expect(say(en, m)).toBe('Trying again failed: Some values are not valid. name: Must have at least 2 characters.');
    expect(say(fr, m)).toBe('La nouvelle tentative a échoué : Certaines valeurs ne sont pas valides. name : Au moins 2 caractères.');
  });

  it('words an unwrapped error alone, and a validation issue inside its line with the line’s values', () => {
    const error: Message = { error: { kind: 'unavailable', code: 'host_unreachable', params: {} } };
    expect(say(en, error)).toBe('Huntaze\'s core cannot be reached right now.');
    expect(say(fr, error)).toBe('Le cœur de Huntaze est injoignable pour le moment.');
    const issue: Message = { issue: { path: ['words', 0], code: 'too_small', params: { origin: 'string', minimum: 2 } }, wrap: 'restrictedWords.wordProblem', values: { word: 'a' } };
    expect(say(en, issue)).toBe('“a”: Must have at least 2 characters.');
    expect(say(fr, issue)).toBe('« a » : Au moins 2 caractères.');
  });
});
