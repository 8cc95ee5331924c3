import { z } from 'zod';
import { accountIdSchema } from '../accounts';
import {
  audienceProgressSchema,
  fanPageSchema,
  fetchResultSchema,
  IMPORT_MODES,
  importResultSchema,
  namedSegmentSchema,
  segmentCountSchema,
  segmentSchema,
  UPLOAD_CHUNK_BYTES,
} from '../audiences';
import type { EventTable, MethodTable } from './define';

/** A creator account's fans (the active profile's) and the segments campaigns target. */
export const audiencesMethods = {
  /**
   * Imports a CSV file of fans into the account (Electron host: a path from the file dialog; the
   * browser host would need an upload). Progress arrives as `audiences.progress`. A file that
   * cannot be read as text is refused whole: `csv_binary`, `csv_encoding` {line},
   * `csv_missing_column` / `csv_duplicate_column` {column}, `csv_unreadable`. Bad rows are listed (first 1,000, with
   * `errorCount`); with `all_or_nothing` one bad row means nothing is written.
   */
  'audiences.import': {
    input: z
      .object({
        accountId: accountIdSchema,
        path: z.string().min(1).max(4096),
        mode: z.enum(IMPORT_MODES),
      })
      .strict(),
    output: importResultSchema,
  },
  /** Fetches every fan of the account from its platform transport (the Sandbox's from the OnlyFans sandbox); all pages or nothing. */
  'audiences.fetch': { input: z.object({ accountId: accountIdSchema }).strict(), output: fetchResultSchema },
  /** Fans in the segment (every fan when none), by fan id; pass `nextCursor` back for the next page. */
  'audiences.list': {
    input: z
      .object({
        accountId: accountIdSchema,
        segment: segmentSchema.optional(),
        limit: z.number().int().min(1).max(500).default(100),
        cursor: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: fanPageSchema,
  },
  /** Live counts of the given segments, or of the built-in ones when none are given. */
  'audiences.segments': {
    input: z.object({ accountId: accountIdSchema, segments: z.array(namedSegmentSchema).max(50).optional() }).strict(),
    output: z.array(segmentCountSchema),
  },
  /**
   * Starts an upload of a fan file the renderer read (both hosts: no path crosses). `size` is the
   * file's exact byte count, refused above MAX_UPLOAD_BYTES with `upload_too_large` before anything
   * is written. The upload belongs to the active profile; a profile switch drops it.
   */
  'audiences.uploadBegin': {
    input: z.object({ accountId: accountIdSchema, name: z.string().max(255), size: z.number().int().min(0) }).strict(),
    output: z.object({ uploadId: z.string() }),
  },
  /**
   * The next chunk, base64, `seq` counting from 0. A gap or a repeat is `upload_sequence` {expected};
   * more bytes than announced is `upload_too_large` and drops the upload; an unknown or dropped id
   * is `upload_not_found`.
   */
  'audiences.uploadChunk': {
    input: z
      .object({
        uploadId: z.string().min(1).max(64),
        seq: z.number().int().min(0),
        data: z.base64().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4),
      })
      .strict(),
    output: z.object({ received: z.number().int() }),
  },
  /** Imports the uploaded file as `audiences.import` does (same progress, errors and result), then deletes it; `upload_incomplete` when bytes are missing. */
  'audiences.uploadCommit': {
    input: z.object({ uploadId: z.string().min(1).max(64), mode: z.enum(IMPORT_MODES) }).strict(),
    output: importResultSchema,
  },
  /** Drops the upload and its temp file. */
  'audiences.uploadAbort': { input: z.object({ uploadId: z.string().min(1).max(64) }).strict(), output: z.object({}) },
} as const satisfies MethodTable;

export const audiencesEvents = {
  /** An import or a fetch moved (at most a few a second); `done` closes it. */
  'audiences.progress': audienceProgressSchema,
  /** Fans of the account were written: counts and lists are stale. */
  'audiences.changed': z.object({ accountId: accountIdSchema }),
} as const satisfies EventTable;
