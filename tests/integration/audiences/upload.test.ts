import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPLOADS_DIR } from '../../../main/audiences/uploads';
import type { Account } from '../../../shared/accounts';
import { type AudienceProgress, type Fan, type ImportResult, MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES } from '../../../shared/audiences';
import { type ServicesStack, useServicesStack } from '../../support/services-stack';

const FANS_CSV = [
  'Fan ID;Name;Display name;Total spend;Subscribed date;Expiry date;Tags',
  ...Array.from({ length: 3000 }, (_, i) => `u${String(i).padStart(5, '0')};user ${i};Fan « ${i} »;${i % 700},25;2026-01-${String((i % 28) + 1).padStart(2, '0')};2026-09-01;${i % 4 === 0 ? 'vip|tipper' : 'new'}`),
  'bad-spend;x;x;lots;2026-01-01;;',
].join('\n');

/** Sends `bytes` the way the renderer does: begin, chunks in order, and the caller commits. */
async function upload(stack: ServicesStack, accountId: string, bytes: Buffer, chunk = UPLOAD_CHUNK_BYTES): Promise<string> {
  const { uploadId } = await stack.value<{ uploadId: string }>('audiences.uploadBegin', { accountId, name: 'fans.csv', size: bytes.length });
  for (let seq = 0, at = 0; at < bytes.length; seq++, at += chunk) {
    const { received } = await stack.value<{ received: number }>('audiences.uploadChunk', { uploadId, seq, data: bytes.subarray(at, at + chunk).toString('base64') });
    expect(received).toBe(Math.min(at + chunk, bytes.length));
  }
  return uploadId;
}

const tempFiles = (stack: ServicesStack) => readdirSync(join(stack.dataDir, UPLOADS_DIR));

async function fansOf(stack: ServicesStack, accountId: string): Promise<Fan[]> {
  const all: Fan[] = [];
  let cursor: string | undefined;
  do {
    const page = await stack.value<{ fans: Fan[]; nextCursor: string | null }>('audiences.list', { accountId, limit: 500, cursor });
    all.push(...page.fans.map((f) => ({ ...f, updatedAt: 0 })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe('audiences upload road (real services, real SQLite, temp files in the data folder)', () => {
  const stack = useServicesStack();

  async function twoAccounts() {
    const s = await stack({ sandbox: true });
    const [mia, zoe] = await s.value<Account[]>('accounts.list', {});
    return { s, mia: mia!.id, zoe: zoe!.id };
  }

  it('a multi-chunk upload imports exactly as the path import of the same file, with progress, and leaves no temp file', async () => {
    const { s, mia, zoe } = await twoAccounts();
    const bytes = Buffer.from(FANS_CSV);
    const path = join(s.dataDir, 'fans.csv');
    writeFileSync(path, bytes);
    const byPath = await s.value<ImportResult>('audiences.import', { accountId: mia, path, mode: 'valid_rows' });

    const progress = s.capture<AudienceProgress>('audiences.progress');
    // Chunks that cut UTF-8 characters (« ») and lines in half.
    const uploadId = await upload(s, zoe, bytes, 7_777);
    expect(tempFiles(s)).toHaveLength(1);
    const byUpload = await s.value<ImportResult>('audiences.uploadCommit', { uploadId, mode: 'valid_rows' });

    expect(byUpload).toEqual(byPath);
    expect(byUpload).toMatchObject({ imported: 3000, committed: true, errorCount: 1, errors: [{ line: 3002, code: 'invalid_spend', column: 'totalSpend' }] });
    expect(await fansOf(s, zoe)).toEqual(await fansOf(s, mia));
    expect(progress.at(-1)).toMatchObject({ accountId: zoe, operation: 'import', bytes: bytes.length, totalBytes: bytes.length, done: true });
    expect(tempFiles(s)).toEqual([]);
    // The id is spent.
    expect(await s.call('audiences.uploadCommit', { uploadId, mode: 'valid_rows' })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'upload_not_found' } });
  });

  it('all_or_nothing through the upload writes nothing when a row is bad; a binary upload is refused in the same words as a path', async () => {
    const { s, zoe } = await twoAccounts();
    const id = await upload(s, zoe, Buffer.from(FANS_CSV));
    expect(await s.value<ImportResult>('audiences.uploadCommit', { uploadId: id, mode: 'all_or_nothing' })).toMatchObject({ imported: 0, committed: false, errorCount: 1 });
    expect(await fansOf(s, zoe)).toEqual([]);
    const png = await upload(s, zoe, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    expect(await s.call('audiences.uploadCommit', { uploadId: png, mode: 'valid_rows' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', code: 'csv_binary' } });
    expect(tempFiles(s)).toEqual([]);
  });

  it('refuses gaps, repeats, oversize, unknown ids and short files with typed errors, and aborts delete the temp file', async () => {
    const { s, zoe } = await twoAccounts();
    const data = (text: string) => Buffer.from(text).toString('base64');

    expect(await s.call('audiences.uploadBegin', { accountId: zoe, name: 'huge.csv', size: MAX_UPLOAD_BYTES + 1 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', code: 'upload_too_large', params: { maximum: MAX_UPLOAD_BYTES } },
    });
    expect(tempFiles(s)).toEqual([]);
    expect(await s.call('audiences.uploadBegin', { accountId: 'no-such-account', name: 'x.csv', size: 3 })).toMatchObject({ ok: false, error: { code: 'account_not_found' } });

    const { uploadId } = await s.value<{ uploadId: string }>('audiences.uploadBegin', { accountId: zoe, name: 'fans.csv', size: 12 });
    expect(await s.call('audiences.uploadChunk', { uploadId, seq: 1, data: data('fan id\n') })).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'upload_sequence', params: { expected: 0 } } });
    await s.value('audiences.uploadChunk', { uploadId, seq: 0, data: data('fan id\n') });
    expect(await s.call('audiences.uploadChunk', { uploadId, seq: 0, data: data('fan id\n') })).toMatchObject({ ok: false, error: { code: 'upload_sequence', params: { expected: 1 } } });
    expect(await s.call('audiences.uploadCommit', { uploadId, mode: 'valid_rows' })).toMatchObject({ ok: false, error: { code: 'upload_incomplete', params: { received: 7, size: 12 } } });
    expect(tempFiles(s)).toEqual([]);

    const over = await s.value<{ uploadId: string }>('audiences.uploadBegin', { accountId: zoe, name: 'fans.csv', size: 4 });
    expect(await s.call('audiences.uploadChunk', { uploadId: over.uploadId, seq: 0, data: data('fan id\n') })).toMatchObject({ ok: false, error: { code: 'upload_too_large' } });
    expect(tempFiles(s)).toEqual([]);
    expect(await s.call('audiences.uploadChunk', { uploadId: over.uploadId, seq: 1, data: data('a') })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'upload_not_found' } });

    const aborted = await s.value<{ uploadId: string }>('audiences.uploadBegin', { accountId: zoe, name: 'fans.csv', size: 20 });
    await s.value('audiences.uploadChunk', { uploadId: aborted.uploadId, seq: 0, data: data('fan id\nz1\n') });
    expect(tempFiles(s)).toHaveLength(1);
    expect(await s.value('audiences.uploadAbort', { uploadId: aborted.uploadId })).toEqual({});
    expect(tempFiles(s)).toEqual([]);
    expect(await s.call('audiences.uploadCommit', { uploadId: aborted.uploadId, mode: 'valid_rows' })).toMatchObject({ ok: false, error: { code: 'upload_not_found' } });
    expect(await s.call('audiences.uploadAbort', { uploadId: 'never-begun' })).toMatchObject({ ok: false, error: { code: 'upload_not_found' } });
    expect(await s.call('audiences.uploadChunk', { uploadId: 'x', seq: 0, data: 'not base64!' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await fansOf(s, zoe)).toEqual([]);
  });

  it('an upload begun in the Sandbox is dropped when the profile closes; leftovers of a crash are swept at startup', async () => {
    const { s, zoe } = await twoAccounts();
    const { uploadId } = await s.value<{ uploadId: string }>('audiences.uploadBegin', { accountId: zoe, name: 'fans.csv', size: 10 });
    await s.value('settings.update', { sandboxMode: false });
    expect(await s.call('audiences.uploadChunk', { uploadId, seq: 0, data: Buffer.from('fan id\n').toString('base64') })).toMatchObject({ ok: false, error: { code: 'upload_not_found' } });
    expect(tempFiles(s)).toEqual([]);

    const dataDir = s.dataDir;
    await s.value('settings.update', { sandboxMode: true });
    await s.value('audiences.uploadBegin', { accountId: zoe, name: 'fans.csv', size: 10 });
    await s.close();
    // What a crash leaves behind: a temp file nobody owns.
    writeFileSync(join(dataDir, UPLOADS_DIR, 'left-over.csv'), 'fan id\n');
    const again = await stack({ dataDir });
    expect(tempFiles(again)).toEqual([]);
  });

  it('uploads a 50 MB export in 1 MiB chunks and imports every row', async () => {
    const { s, zoe } = await twoAccounts();
    const path = join(s.dataDir, 'big.csv');
    const fd = openSync(path, 'w');
    const notes = 'x'.repeat(400);
    let rows = 0;
    let written = writeSync(fd, 'Fan ID,Name,Total spend,Notes\n');
    while (written < 50 * 1024 * 1024) {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++, rows++) lines.push(`f${rows},user${rows},${rows % 900}.50,${notes}\n`);
      written += writeSync(fd, lines.join(''));
    }
    closeSync(fd);
    const uploadId = await upload(s, zoe, readFileSync(path));
    const result = await s.value<ImportResult>('audiences.uploadCommit', { uploadId, mode: 'all_or_nothing' });
    expect(result).toMatchObject({ imported: rows, committed: true, errorCount: 0 });
    expect(tempFiles(s)).toEqual([]);
  }, 60_000);
});
