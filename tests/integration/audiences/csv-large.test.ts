import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CsvProgress } from '../../../main/audiences';
import { CSV_CHUNK_BYTES } from '../../../main/audiences/csv-import';
import { audienceStack } from '../../support/audiences';
import { useTempDirs } from '../../support/tmp';

const TARGET_BYTES = 50 * 1024 * 1024;
// Exports carry columns we do not use; a wide one keeps the row count (and the test) moderate.
const NOTES = 'x'.repeat(400);

/** Writes rows until the file passes 50 MB; every 10,000th row has an unreadable spend. */
function writeLargeCsv(path: string): { rows: number; bad: number[] } {
  const fd = openSync(path, 'w');
  let written = 0;
  let rows = 0;
  const bad: number[] = [];
  const header = 'Fan ID,Name,Display name,Total spend,Subscribed date,Expiry date,Tags,Notes\n';
  written += writeSync(fd, header);
  while (written < TARGET_BYTES) {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      rows++;
      const spend = rows % 10_000 === 0 ? 'n/a' : `${rows % 5000}.${String(rows % 100).padStart(2, '0')}`;
      if (spend === 'n/a') bad.push(rows + 1);
      lines.push(`fan-${rows},user${rows},Fan ${rows},${spend},2026-01-${String((rows % 28) + 1).padStart(2, '0')},2026-07-01,${rows % 3 === 0 ? 'vip|tipper' : 'new'},${NOTES}\n`);
    }
    written += writeSync(fd, lines.join(''));
  }
  closeSync(fd);
  return { rows, bad };
}

describe('CSV import of a 50 MB file', () => {
  const tempDir = useTempDirs();
  const stacks: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const s of stacks.splice(0)) s.close();
  });

  it('streams it: progress in many steps up to the file size, the event loop runs between chunks, counts add up', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const stack = await audienceStack(dir);
    stacks.push(stack);
    const path = join(dir, 'large.csv');
    const { rows, bad } = writeLargeCsv(path);
    const size = statSync(path).size;
    expect(size).toBeGreaterThanOrEqual(TARGET_BYTES);

    const steps: CsvProgress[] = [];
    // Counts turns of the event loop while the import runs: a file read in one go would leave it at ~0.
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const result = await stack.audiences.importCsv(stack.account.id, path, 'valid_rows', (p) => steps.push({ ...p }));
    spinning = false;

    const chunks = Math.ceil(size / CSV_CHUNK_BYTES);
    // One step per chunk read, and a last one once the parser has flushed its final record.
    expect(steps.length).toBe(chunks + 1);
    expect(turns).toBeGreaterThan(chunks / 2);
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!.bytes).toBeGreaterThanOrEqual(steps[i - 1]!.bytes);
      expect(steps[i]!.rows).toBeGreaterThanOrEqual(steps[i - 1]!.rows);
    }
    expect(new Set(steps.map((s) => s.bytes)).size).toBe(chunks);
    expect(steps.at(-1)).toEqual({ bytes: size, totalBytes: size, rows });

    expect(result.errors).toEqual(bad.map((line) => ({ line, code: 'invalid_spend', column: 'totalSpend' })));
    expect(result).toMatchObject({ imported: rows - bad.length, updated: 0, committed: true, errorCount: bad.length });
    expect(stack.db.prepare('SELECT count(*) FROM fans WHERE account_id = ?').pluck().get(stack.account.id)).toBe(rows - bad.length);
    expect(stack.audiences.count(stack.account.id, { all: [{ kind: 'has_tag', tag: 'VIP' }], any: [] })).toBe(Math.floor(rows / 3) - bad.filter((l) => (l - 1) % 3 === 0).length);
  });
});
