import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportMode } from '../../../shared/audiences';
import { AppError } from '../../../shared/result';
import { audienceStack } from '../../support/audiences';
import { useTempDirs } from '../../support/tmp';

const HEADER = 'fan id,name,display name,total spend,subscribed date,expiry date,tags';
const GOOD = [
  'f1,anna,Anna,12.50,2026-01-02,2026-07-02,vip|tipper',
  'f2,ben,Ben,0,2025-12-01,,',
  'f3,cleo,Cléo,"1,200.00",2026-05-20T10:00:00Z,2026-06-20,new',
];

describe('CSV import of fans (real file, real SQLite)', () => {
  const tempDir = useTempDirs();
  const stacks: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of stacks.splice(0)) s.close();
  });

  async function setup() {
    const dir = tempDir();
    const stack = await audienceStack(dir);
    stacks.push(stack);
    const file = (name: string, content: string | Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const run = (path: string, mode: ImportMode = 'valid_rows') => stack.audiences.importCsv(stack.account.id, path, mode);
    const refusal = async (path: string) => {
      const err = await run(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      return { code: (err as AppError).code, params: (err as AppError).params };
    };
    return { ...stack, file, run, refusal };
  }

  it('imports every column: spend in micro-dollars, dates as epoch ms, tags as a set', async () => {
    const { file, run, fans } = await setup();
    const result = await run(file('fans.csv', [HEADER, ...GOOD].join('\n') + '\n'));
    expect(result).toEqual({ imported: 3, updated: 0, committed: true, errors: [], errorCount: 0 });
    expect(fans()).toEqual([
      { fan_id: 'f1', name: 'anna', display_name: 'Anna', total_spend_micros: 12_500_000, subscribed_at: Date.UTC(2026, 0, 2), expires_at: Date.UTC(2026, 6, 2), source: 'csv', tags: 'tipper|vip' },
      { fan_id: 'f2', name: 'ben', display_name: 'Ben', total_spend_micros: 0, subscribed_at: Date.UTC(2025, 11, 1), expires_at: null, source: 'csv', tags: null },
      { fan_id: 'f3', name: 'cleo', display_name: 'Cléo', total_spend_micros: 1_200_000_000, subscribed_at: Date.UTC(2026, 4, 20, 10), expires_at: Date.UTC(2026, 5, 20), source: 'csv', tags: 'new' },
    ]);
  });

  it('reads a French export: BOM, `;` separator, French headers in any case and spacing, decimal commas', async () => {
    const { file, run, fans } = await setup();
    const text = '\uFEFFIdentifiant ; Nom ; Nom affiché ; DÉPENSE TOTALE ; Date d’abonnement ; Date d’expiration ; Étiquettes\r\n' +
      'f1;anna;Anna;"1 234,56";2026-01-02;2026-07-02;vip,tipper\r\n' +
      'f2;ben;Ben;12,5;2026-01-03;;\r\n';
    expect(await run(file('fr.csv', text))).toMatchObject({ imported: 2, errorCount: 0 });
    expect(fans().map((f) => [f.fan_id, f.total_spend_micros, f.subscribed_at, f.tags])).toEqual([
      ['f1', 1_234_560_000, Date.UTC(2026, 0, 2), 'tipper|vip'],
      ['f2', 12_500_000, Date.UTC(2026, 0, 3), null],
    ]);
  });

  it('reads tab-separated files, and only the fan id column is required', async () => {
    const { file, run, fans } = await setup();
    expect(await run(file('t.tsv', 'Fan_ID\tTags\nf9\tvip\n'))).toMatchObject({ imported: 1, errorCount: 0 });
    expect(fans()).toMatchObject([{ fan_id: 'f9', name: null, total_spend_micros: 0, tags: 'vip' }]);
  });

  it('lists one error per bad row, with its line, a reason code and the column; valid_rows commits exactly the valid ones', async () => {
    const { file, run, fans } = await setup();
    const rows = [
      HEADER, // line 1
      'ok1,a,A,1,2026-01-01,,', // 2
      ',nofan,X,1,2026-01-01,,', // 3 missing_fan_id
      'bad-spend,b,B,-5,2026-01-01,,', // 4 invalid_spend
      'bad-spend2,b,B,lots,2026-01-01,,', // 5 invalid_spend
      'bad-date,c,C,1,03/04/2026,,', // 6 invalid_date (ambiguous)
      'bad-date2,c,C,1,2026-01-01,2026-02-30,', // 7 invalid_date (no such day)
      `long,${'n'.repeat(201)},C,1,,,`, // 8 too_long name
      `tags,t,T,1,,,${Array.from({ length: 51 }, (_, i) => `t${i}`).join('|')}`, // 9 too_many_tags
      'cols,a,A,1,2026-01-01,,,extra', // 10 column_count
      'ok1,again,A,1,2026-01-01,,', // 11 duplicate_fan_id
      'ok2,"quoted ""name""",Q,2,,,', // 12 fine
      'ok3,d,D,3,,,', // 13
      'broken,"never closed,Q,2,,,', // 14 malformed: the quote runs to the end of the file
    ];
    const result = await run(file('bad.csv', rows.join('\n')));
    expect(result.errors).toEqual([
      { line: 3, code: 'missing_fan_id', column: 'fanId' },
      { line: 4, code: 'invalid_spend', column: 'totalSpend' },
      { line: 5, code: 'invalid_spend', column: 'totalSpend' },
      { line: 6, code: 'invalid_date', column: 'subscribedAt' },
      { line: 7, code: 'invalid_date', column: 'expiresAt' },
      { line: 8, code: 'too_long', column: 'name' },
      { line: 9, code: 'too_many_tags', column: 'tags' },
      { line: 10, code: 'column_count', column: null },
      { line: 11, code: 'duplicate_fan_id', column: 'fanId' },
      { line: 14, code: 'malformed', column: null },
    ]);
    expect(result).toMatchObject({ imported: 3, updated: 0, committed: true, errorCount: 10 });
    expect(fans().map((f) => [f.fan_id, f.name])).toEqual([['ok1', 'a'], ['ok2', 'quoted "name"'], ['ok3', 'd']]);
  });

  it('numbers lines as an editor does when quoted names span lines, with LF or CRLF endings', async () => {
    const { file, run } = await setup();
    for (const eol of ['\n', '\r\n']) {
      const text = ['fan id,name,total spend', 'f1,"two', 'lines",1', '', 'f2,"three', 'whole', 'lines",x', 'f3,ok,y'].join(eol) + eol;
      const result = await run(file(`multi-${eol.length}.csv`, text));
      expect(result.errors, JSON.stringify(eol)).toEqual([
        { line: 5, code: 'invalid_spend', column: 'totalSpend' },
        { line: 8, code: 'invalid_spend', column: 'totalSpend' },
      ]);
    }
  });

  it('all_or_nothing: one bad row and the table is left exactly as it was', async () => {
    const { file, run, fans } = await setup();
    await run(file('first.csv', [HEADER, ...GOOD].join('\n')));
    const before = fans();
    const result = await run(file('second.csv', [HEADER, 'f1,changed,C,99,,,', 'new-fan,n,N,1,,,', 'f2,x,X,not-money,,,'].join('\n')), 'all_or_nothing');
    expect(result).toEqual({ imported: 0, updated: 0, committed: false, errors: [{ line: 4, code: 'invalid_spend', column: 'totalSpend' }], errorCount: 1 });
    expect(fans()).toEqual(before);
  });

  it('a re-import de-duplicates: known fans are updated, new ones added, and columns the file lacks are kept', async () => {
    const { file, run, fans } = await setup();
    await run(file('first.csv', [HEADER, ...GOOD].join('\n')));
    const result = await run(file('again.csv', ['fan id,total spend', 'f1,20', 'f4,1'].join('\n')));
    expect(result).toMatchObject({ imported: 1, updated: 1, committed: true });
    const all = fans();
    expect(all.map((f) => f.fan_id)).toEqual(['f1', 'f2', 'f3', 'f4']);
    // The second file has no name or tags column: f1 keeps its name and tags, its spend changes.
    expect(all[0]).toMatchObject({ name: 'anna', total_spend_micros: 20_000_000, tags: 'tipper|vip' });
  });

  it('caps the error list at 1,000 and still counts every bad row', async () => {
    const { file, run } = await setup();
    const bad = Array.from({ length: 1500 }, (_, i) => `f${i},n,N,oops,,,`);
    const result = await run(file('many.csv', [HEADER, ...bad].join('\n')));
    expect(result.errorCount).toBe(1500);
    expect(result.errors).toHaveLength(1000);
    expect(result.errors[999]).toEqual({ line: 1001, code: 'invalid_spend', column: 'totalSpend' });
    expect(result.imported).toBe(0);
  });

  it('refuses a binary file at once (a PNG renamed .csv) and imports nothing', async () => {
    const { file, refusal, fans } = await setup();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), Buffer.alloc(256, 7)]);
    expect(await refusal(file('photo.csv', png))).toEqual({ code: 'csv_binary', params: {} });
    expect(fans()).toEqual([]);
  });

  it('refuses Windows-1252 text naming the line of the first byte that is not UTF-8, and imports nothing', async () => {
    const { file, refusal, fans } = await setup();
    const latin = Buffer.concat([Buffer.from(`${HEADER}\nf1,anna,Anna,1,,,\nf2,l`), Buffer.from([0xe9]), Buffer.from('a,L\xe9a,1,,,\n'.replace('\xe9', 'e'))]);
    expect(await refusal(file('cp1252.csv', latin))).toEqual({ code: 'csv_encoding', params: { line: 3 } });
    expect(fans()).toEqual([]);
  });

  it('refuses UTF-16 and a file whose last character is cut short', async () => {
    const { file, refusal } = await setup();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\n`, 'utf16le')]);
    // UTF-16 of ASCII text is full of NULs: it reads as binary before any encoding question.
    expect((await refusal(file('u16.csv', utf16))).code).toMatch(/^csv_(binary|encoding)$/);
    const cut = Buffer.concat([Buffer.from(`${HEADER}\nf1,Zo`), Buffer.from([0xc3])]);
    expect(await refusal(file('cut.csv', cut))).toEqual({ code: 'csv_encoding', params: { line: 2 } });
  });

  it('refuses a file without a fan id column, or with two, and files it cannot or may not read', async () => {
    const { file, refusal, run } = await setup();
    expect(await refusal(file('nofan.csv', 'name,total spend\nanna,1\n'))).toEqual({ code: 'csv_missing_column', params: { column: 'fanId' } });
    expect(await refusal(file('twice.csv', 'fan id,identifiant\n1,2\n'))).toEqual({ code: 'csv_duplicate_column', params: { column: 'fanId' } });
    expect(await refusal(file('empty.csv', ''))).toEqual({ code: 'csv_missing_column', params: { column: 'fanId' } });
    expect((await refusal(join(tempDir(), 'missing.csv'))).code).toBe('csv_unreadable');
    expect((await refusal(file('notes.md', 'fan id\n1\n'))).code).toBe('csv_unreadable');
    await expect(run('relative/fans.csv')).rejects.toMatchObject({ code: 'csv_unreadable' });
  });
});
