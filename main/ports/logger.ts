/** Structured log lines. Callers pass facts, never secrets; values are not inspected here. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function consoleLogger(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ level, msg, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
