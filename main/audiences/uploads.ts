/**
 * Fan files sent by the renderer, a chunk at a time, so both hosts import the same way (the
 * browser host has no path to give, and an Electron path would be a second road to test). Each
 * upload is a temp file in the data folder's `uploads/`, written in order, capped at the size
 * announced at the start (itself capped), then imported like any file and deleted. The folder is
 * emptied at startup: an upload cut short by a crash is never resumed.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_UPLOAD_BYTES } from '../../shared/audiences';
import { AppError } from '../../shared/result';

export const UPLOADS_DIR = 'uploads';
/** Uploads left open (a tab closed mid-way) are evicted oldest first beyond this many. */
export const MAX_OPEN_UPLOADS = 4;

/** A profile's database: an upload belongs to the one it began in, and dies with it. */
export interface UploadOwner {
  readonly open: boolean;
}

interface Upload {
  id: string;
  accountId: string;
  /** Whose upload it is: a profile switch leaves it behind. */
  owner: UploadOwner;
  path: string;
  file: FileHandle;
  size: number;
  received: number;
  nextSeq: number;
  /** A chunk is being written; another arriving meanwhile is out of order by definition. */
  writing: boolean;
}

export interface FinishedUpload {
  accountId: string;
  path: string;
  /** Deletes the temp file; call once the import is over. */
  discard(): Promise<void>;
}

export class Uploads {
  private readonly open = new Map<string, Upload>();

  constructor(private readonly dir: string) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async begin(owner: UploadOwner, accountId: string, size: number): Promise<string> {
    if (size > MAX_UPLOAD_BYTES) throw new AppError('invalid_input', 'upload_too_large', { maximum: MAX_UPLOAD_BYTES });
    await this.pruneClosed();
    while (this.open.size >= MAX_OPEN_UPLOADS) await this.drop(this.open.values().next().value!);
    const id = randomUUID();
    // The import only reads files named like text exports.
    const path = join(this.dir, `${id}.csv`);
    const file = await open(path, 'wx', 0o600);
    this.open.set(id, { id, accountId, owner, path, file, size, received: 0, nextSeq: 0, writing: false });
    return id;
  }

  async chunk(owner: UploadOwner, id: string, seq: number, data: Buffer): Promise<number> {
    const upload = await this.get(owner, id);
    if (upload.writing || seq !== upload.nextSeq) throw new AppError('conflict', 'upload_sequence', { expected: upload.nextSeq, got: seq });
    if (upload.received + data.length > upload.size) {
      await this.drop(upload);
      throw new AppError('invalid_input', 'upload_too_large', { maximum: upload.size });
    }
    upload.writing = true;
    try {
      await upload.file.write(data, 0, data.length, upload.received);
    } catch {
      await this.drop(upload);
      throw new AppError('unavailable', 'upload_failed');
    }
    upload.writing = false;
    upload.received += data.length;
    upload.nextSeq++;
    return upload.received;
  }

  /** Hands the complete file over to the import; the upload id is spent either way. */
  async finish(owner: UploadOwner, id: string): Promise<FinishedUpload> {
    const upload = await this.get(owner, id);
    if (upload.writing) throw new AppError('conflict', 'upload_sequence', { expected: upload.nextSeq, got: upload.nextSeq });
    this.open.delete(id);
    await upload.file.close().catch(() => undefined);
    if (upload.received !== upload.size) {
      await rm(upload.path, { force: true });
      throw new AppError('invalid_input', 'upload_incomplete', { received: upload.received, size: upload.size });
    }
    return { accountId: upload.accountId, path: upload.path, discard: () => rm(upload.path, { force: true }) };
  }

  async abort(owner: UploadOwner, id: string): Promise<void> {
    await this.drop(await this.get(owner, id));
  }

  /** Every upload still open (the services are closing). */
  async close(): Promise<void> {
    for (const upload of [...this.open.values()]) await this.drop(upload);
  }

  private async pruneClosed(): Promise<void> {
    for (const upload of [...this.open.values()]) if (!upload.owner.open) await this.drop(upload);
  }

  private async get(owner: UploadOwner, id: string): Promise<Upload> {
    await this.pruneClosed();
    const upload = this.open.get(id);
    if (!upload) throw new AppError('not_found', 'upload_not_found');
    if (upload.owner !== owner) {
      // Begun in the other profile: its fans would land in the wrong database.
      await this.drop(upload);
      throw new AppError('not_found', 'upload_not_found');
    }
    return upload;
  }

  private async drop(upload: Upload): Promise<void> {
    this.open.delete(upload.id);
    await upload.file.close().catch(() => undefined);
    await rm(upload.path, { force: true });
  }
}
