/**
 * Importing a CSV file of fans. The file is streamed in 64 KiB chunks: each chunk is checked
 * (binary, UTF-8), parsed by csv-parse, its rows checked and staged, and progress reported,
 * then the event loop gets the thread back until the next chunk arrives. Only when the whole
 * file has been read does anything reach the account's fans, in one transaction (see staging).
 *
 * Encodings: UTF-8 (with or without BOM) only. Windows-1252 cannot be told apart from other
 * single-byte code pages reliably, and a wrong guess silently garbles every accented name, so a
 * file that is not UTF-8 is refused with the line of its first bad byte and nothing is imported.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, isAbsolute } from 'node:path';
import { finished } from 'node:stream/promises';
import { type CsvError, parse, type Parser } from 'csv-parse';
import { type FanColumn, type ImportMode, type ImportResult, MAX_ROW_ERRORS, type RowError } from '../../shared/audiences';
import { AppError } from '../../shared/result';
import type { Db } from '../db/open';
import type { Clock } from '../ports/clock';
import { type HeaderMap, mapHeader, type ParsedFan, parseRow } from './columns';
import { detectDelimiter, isUtf16, looksBinary, SNIFF_BYTES, Utf8Check } from './sniff';
import { Staging } from './staging';

export const CSV_CHUNK_BYTES = 64 << 10;
const EXTENSIONS = new Set(['.csv', '.tsv', '.txt']);

export interface CsvProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface CsvImportOptions {
  db: Db;
  clock: Pick<Clock, 'now'>;
  accountId: string;
  path: string;
  mode: ImportMode;
  onProgress?: (progress: CsvProgress) => void;
}

type Record = { record: string[]; info: { lines: number } };

class ErrorList {
  readonly kept: RowError[] = [];
  count = 0;
  add(error: RowError): void {
    this.count++;
    if (this.kept.length < MAX_ROW_ERRORS) this.kept.push(error);
  }
}

async function sizeOf(path: string): Promise<number> {
  if (!isAbsolute(path) || !EXTENSIONS.has(extname(path).toLowerCase())) throw new AppError('invalid_input', 'csv_unreadable');
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    return s.size;
  } catch {
    throw new AppError('not_found', 'csv_unreadable');
  }
}

function newParser(delimiter: string): Parser {
  return parse({
    bom: true,
    delimiter,
    info: true,
    // Exports write `John "JJ" Doe` unquoted; that is a name, not a broken row.
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
}

export async function importCsv(options: CsvImportOptions): Promise<ImportResult> {
  const { db, path } = options;
  const totalBytes = await sizeOf(path);
  const staging = new Staging(db);
  const stream = createReadStream(path, { highWaterMark: CSV_CHUNK_BYTES });
  const utf8 = new Utf8Check();
  const errors = new ErrorList();
  const pending: Record[] = [];
  let parser: Parser | null = null;
  let parseFailure: Error | null = null;
  let header: HeaderMap | null = null;
  let lastSkipLine = 0;
  // csv-parse counts a CRLF inside a quoted field as two lines; what it over-counted so far.
  let overcount = 0;
  let bytes = 0;
  let rows = 0;

  const start = (head: Buffer) => {
    if (looksBinary(head)) throw new AppError('invalid_input', 'csv_binary');
    if (isUtf16(head)) throw new AppError('invalid_input', 'csv_encoding', { line: 1 });
    const p = newParser(detectDelimiter(head.subarray(0, SNIFF_BYTES).toString('utf8').replace(/^\uFEFF/, '')));
    p.on('data', (r: Record) => pending.push(r));
    p.on('skip', (err: CsvError & { lines?: number }) => {
      const line = (err.lines ?? lastSkipLine + 1 + overcount) - overcount;
      // One error per bad row: csv-parse may report a row's quoting twice.
      if (line === lastSkipLine) return;
      lastSkipLine = line;
      rows++;
      errors.add({ line, code: 'malformed', column: null });
    });
    p.on('error', (err: Error) => {
      parseFailure = err;
    });
    return p;
  };

  /** Checks and stages every record the parser has produced so far. */
  const drain = () => {
    const fans: ParsedFan[] = [];
    const lines: number[] = [];
    for (const { record, info } of pending.splice(0)) {
      let breaks = 0;
      for (const cell of record) {
        if (!cell.includes('\n')) continue;
        breaks += cell.split('\n').length - 1;
        overcount += cell.split('\r\n').length - 1;
      }
      // The line the record starts on, as an editor numbers it.
      const line = info.lines - overcount - breaks;
      if (!header) {
        const mapped = mapHeader(record);
        if ('rule' in mapped) throw new AppError('invalid_input', mapped.rule === 'missing' ? 'csv_missing_column' : 'csv_duplicate_column', { column: mapped.column });
        header = mapped;
        continue;
      }
      rows++;
      const row = parseRow(record, header);
      if ('code' in row) errors.add({ line, code: row.code, column: row.column });
      else {
        fans.push(row);
        lines.push(line);
      }
    }
    for (const i of staging.add(fans)) errors.add({ line: lines[i]!, code: 'duplicate_fan_id', column: 'fanId' });
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser ??= start(chunk);
      const bad = utf8.push(chunk);
      if (bad !== null) throw new AppError('invalid_input', 'csv_encoding', { line: bad });
      bytes += chunk.length;
      parser.write(chunk);
      drain();
      if (parseFailure) throw parseFailure;
      options.onProgress?.({ bytes, totalBytes, rows });
    }
    const cut = utf8.end();
    if (cut !== null) throw new AppError('invalid_input', 'csv_encoding', { line: cut });
    if (parser) {
      parser.end();
      await finished(parser);
      drain();
    }
    // The last record comes out only when the parser ends (a file without a final newline).
    options.onProgress?.({ bytes, totalBytes, rows });
    if (parseFailure) throw parseFailure;
    if (!header) throw new AppError('invalid_input', 'csv_missing_column', { column: 'fanId' });
    const kept = errors.kept.sort((a, b) => a.line - b.line);
    if (options.mode === 'all_or_nothing' && errors.count > 0) return { imported: 0, updated: 0, committed: false, errors: kept, errorCount: errors.count };
    const fields = new Set<FanColumn>((header as HeaderMap).columns.keys());
    const { imported, updated } = staging.commit(options.accountId, 'csv', fields, options.clock);
    return { imported, updated, committed: true, errors: kept, errorCount: errors.count };
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A read error mid-file (the disk, a network share gone) or a parser failure it could not skip.
    throw new AppError('invalid_input', 'csv_unreadable');
  } finally {
    stream.destroy();
    parser?.destroy();
    staging.drop();
  }
}
