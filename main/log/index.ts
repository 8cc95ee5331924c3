import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createStream } from 'rotating-file-stream';
import type { Logger } from '../ports/logger';
import { redactFields, redactKeys } from './redact';

export const LOGS_DIR = 'logs';
export const LOG_FILE = 'huntaze.log';
/** The host process (Electron shell, browser host) logs apart: two processes never rotate one file. */
export const HOST_LOG_FILE = 'host.log';

export interface FileLoggerOptions {
  dataDir: string;
  /** The file's name in logs/; the core's LOG_FILE when omitted. */
  file?: string;
  /** Also write each line to stderr (the browser host's terminal). */
  echo?: boolean;
  /** Rotate when the file reaches this size; keep this many old files. */
  maxSize?: string;
  maxFiles?: number;
}

export interface FileLogger extends Logger {
  readonly dir: string;
  /** Writes what is buffered and closes the file. */
  close(): Promise<void>;
}

/**
 * JSON lines in the data folder's `logs/`, rotated by size, every field passed through the
 * redactor first: a log line never carries a key, whatever a caller hands it.
 */
export function createFileLogger({ dataDir, file: fileName = LOG_FILE, echo = false, maxSize = '5M', maxFiles = 5 }: FileLoggerOptions): FileLogger {
  const dir = join(dataDir, LOGS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Classic rotation (huntaze.log.1, .2 …): predictable names for support, no history file beside them.
  const file = createStream(fileName, { path: dir, size: maxSize, rotate: maxFiles, mode: 0o600 });
  const streams: pino.StreamEntry[] = [{ stream: file }];
  if (echo) streams.push({ stream: process.stderr });
  const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
  const write = (level: 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) log[level](redactFields(fields) as object, redactKeys(msg));
    else log[level](redactKeys(msg));
  };
  return {
    dir,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    close: () =>
      new Promise<void>((resolve) => {
        log.flush();
        file.end(() => resolve());
      }),
  };
}
