import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SEGMENTS, FAN_COLUMNS, ROW_ERROR_CODES, UPLOAD_CHUNK_BYTES } from '../../shared/audiences';
import { methods } from '../../shared/contract';
import { MAX_FRAME_BYTES } from '../../shared/limits';
import { SEND_FAILURE_REASONS } from '../../shared/sending';
import { requestFrame } from '../support/wire-limits';

const LOCALES = join(import.meta.dirname, '..', '..', 'renderer', 'src', 'i18n', 'locales');
type Tree = { [key: string]: string | Tree };
const load = (lang: string) => JSON.parse(readFileSync(join(LOCALES, `${lang}.json`), 'utf8')) as Tree;
const at = (tree: Tree, key: string): unknown => key.split('.').reduce<unknown>((node, k) => (node as Tree | undefined)?.[k], tree);

describe('audiences upload: chunk size and words', () => {
  it('the largest chunk the contract accepts fits one browser-host frame; one more base64 group is refused', () => {
    const data = Buffer.alloc(UPLOAD_CHUNK_BYTES, 0xff).toString('base64');
    const input = { uploadId: 'f'.repeat(64), seq: Number.MAX_SAFE_INTEGER, data };
    expect(methods['audiences.uploadChunk'].input.safeParse(input).success).toBe(true);
    expect(Buffer.byteLength(requestFrame('audiences.uploadChunk', input))).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(methods['audiences.uploadChunk'].input.safeParse({ ...input, data: `${data}AAAA` }).success).toBe(false);
    expect(methods['audiences.uploadChunk'].input.safeParse({ ...input, data: 'not base64!' }).success).toBe(false);
  });

  it('words every row error, column, built-in segment and platform failure the fans panel can show, in English and French', () => {
    const keys = [
      ...ROW_ERROR_CODES.map((c) => `fans.rowErrors.${c}`),
      ...FAN_COLUMNS.map((c) => `fans.columns.${c}`),
      ...BUILT_IN_SEGMENTS.filter((s) => s.name !== 'everyone').map((s) => `fans.segments.${s.name}`),
      ...SEND_FAILURE_REASONS.map((r) => `fans.fetch.reasons.${r}`),
    ];
    for (const lang of ['en', 'fr']) {
      const tree = load(lang);
      for (const key of keys) expect(typeof at(tree, key), `${lang} ${key}`).toBe('string');
    }
  });
});
