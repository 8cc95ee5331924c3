import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, LOG_FILE, LOGS_DIR } from '../../main/log';
import { redactFields } from '../../main/log/redact';
import { useTempDirs } from '../support/tmp';

describe('the log', () => {
  const tempDir = useTempDirs();

  it('writes JSON lines under the data folder’s logs/, readable only by the operator', async () => {
    const dataDir = tempDir();
    const logger = createFileLogger({ dataDir });
    logger.info('sandbox profile open', { url: 'http://127.0.0.1:5000' });
    logger.error('handler failed', { method: 'health.get' });
    await logger.close();
    const file = join(dataDir, LOGS_DIR, LOG_FILE);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 30, msg: 'sandbox profile open', url: 'http://127.0.0.1:5000' },
      { level: 50, msg: 'handler failed', method: 'health.get' },
    ]);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('never writes a secret, whatever a caller hands it', async () => {
    const dataDir = tempDir();
    const logger = createFileLogger({ dataDir });
    const canary = 'sk-proj-canary0123456789abcdef';
    logger.warn(`provider said: Incorrect API key provided: ${canary}`, {
      apiKey: 'plain-secret-value-1',
      nested: { authorization: 'Bearer plain-secret-value-2', detail: `quoted ${canary}`, list: [canary] },
      azureKey: '0123456789abcdef0123456789abcdef',
    });
    await logger.close();
    const text = readFileSync(join(dataDir, LOGS_DIR, LOG_FILE), 'utf8');
    for (const secret of [canary, 'plain-secret-value-1', 'plain-secret-value-2', '0123456789abcdef0123456789abcdef']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted key]');
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const dataDir = tempDir();
    const logger = createFileLogger({ dataDir, maxSize: '1K', maxFiles: 2 });
    for (let i = 0; i < 200; i++) logger.info('a line long enough to fill a kilobyte quickly', { i, pad: 'x'.repeat(40) });
    await logger.close();
    const files = readdirSync(join(dataDir, LOGS_DIR));
    expect(files.sort()).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
  });

  it('redacts without touching the caller’s object', () => {
    const fields = { apiKey: 'k', n: 1 };
    expect(redactFields(fields)).toEqual({ apiKey: '[redacted]', n: 1 });
    expect(fields.apiKey).toBe('k');
  });
});
