import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../shared/ai';
import { ERROR_CODES } from '../../shared/result';

const LOCALES = join(import.meta.dirname, '..', '..', 'renderer', 'src', 'i18n', 'locales');
const en = JSON.parse(readFileSync(join(LOCALES, 'en.json'), 'utf8')) as Tree;
const fr = JSON.parse(readFileSync(join(LOCALES, 'fr.json'), 'utf8')) as Tree;

type Tree = { [key: string]: string | Tree };

const leaves = (tree: Tree, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
};

const tsxFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );

describe('translations', () => {
  const enKeys = leaves(en);
  const frKeys = leaves(fr);

  it('has the same keys in English and French, none empty', () => {
    expect([...frKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
    for (const [key, value] of [...enKeys, ...frKeys]) expect(value.trim(), key).not.toBe('');
  });

  it('words every error code, validation refinement and fault kind the core can send', () => {
    for (const code of ERROR_CODES) expect(enKeys.has(`errors.${code}`), code).toBe(true);
    for (const kind of FAULT_KINDS) expect(enKeys.has(`faultKinds.${kind}`), kind).toBe(true);
    for (const rule of ['required_for_azure', 'at_least_one', 'max_prompt_chars', 'max_routes']) expect(enKeys.has(`validation.custom.${rule}`), rule).toBe(true);
  });

  it('keeps the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of enKeys) expect(vars(frKeys.get(key) ?? ''), key).toEqual(vars(value));
  });

  it('translates every visible string: no literal text between JSX tags', () => {
    const root = join(import.meta.dirname, '..', '..', 'renderer', 'src');
    for (const file of tsxFiles(root)) {
      const source = readFileSync(file, 'utf8');
      // Text directly inside markup, such as <h1>Settings</h1> or <p> Loading</p>.
      const literal = /<[A-Za-z][^<>]*>\s*([A-Za-zÀ-ÿ][^<>{}]*?)\s*</.exec(source);
      expect(literal?.[1], file).toBeUndefined();
    }
  });
});
