import { type ImportMode, type ImportResult, UPLOAD_CHUNK_BYTES } from '../../../../shared/audiences';
import { call } from '../../api/query';

/** The base64 of a slice of the file, encoded by the browser (no string building in JS). */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

export class UploadCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface UploadRun {
  /** Bytes the core has acknowledged so far. */
  onSent(received: number): void;
  /** Called once every byte is there, before the import starts. */
  onCommitting(): void;
  signal: AbortSignal;
}

/**
 * Sends the file a chunk at a time (the same road in both hosts: no path crosses), then imports
 * it. A cancel between chunks aborts the upload, so the core deletes what it had.
 */
export async function uploadAndImport(accountId: string, file: File, mode: ImportMode, run: UploadRun): Promise<ImportResult> {
  const { uploadId } = await call('audiences.uploadBegin', { accountId, name: file.name.slice(0, 255), size: file.size });
  try {
    for (let seq = 0, at = 0; at < file.size; seq++, at += UPLOAD_CHUNK_BYTES) {
      if (run.signal.aborted) throw new UploadCancelled();
      const data = await base64Of(file.slice(at, at + UPLOAD_CHUNK_BYTES));
      const { received } = await call('audiences.uploadChunk', { uploadId, seq, data });
      run.onSent(received);
    }
    if (run.signal.aborted) throw new UploadCancelled();
  } catch (err) {
    // Best effort: an upload the core already dropped answers upload_not_found, which changes nothing.
    await call('audiences.uploadAbort', { uploadId }).catch(() => undefined);
    throw err;
  }
  run.onCommitting();
  return call('audiences.uploadCommit', { uploadId, mode });
}
