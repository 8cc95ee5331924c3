import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompletionResult } from '../../../shared/ai';
import type { RequestDetail, RequestsPage } from '../../../shared/requests';
import { openDatabase } from '../../../main/db/open';
import { DB_FILE } from '../../../main/paths';
import { type AiRig, prompt, useAiRig } from '../../support/ai';

const call = async <T>(rig: AiRig, method: string, input: unknown): Promise<T> => {
  const r = await rig.services.registry.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.value as T;
};
const complete = (rig: AiRig, request = prompt()) => call<CompletionResult>(rig, 'ai.complete', request);
const list = (rig: AiRig, input: object = {}) => call<RequestsPage>(rig, 'requests.list', input);
const detail = (rig: AiRig, id: string) => call<RequestDetail | null>(rig, 'requests.get', { id });

/** Resolves at the next `requests.updated`: the log row is committed by then. */
const nextUpdate = (rig: AiRig) =>
  new Promise<unknown>((resolve) => {
    const off = rig.services.events.subscribe((event, payload) => {
      if (event !== 'requests.updated') return;
      off();
      resolve(payload);
    });
  });

describe('request log, written by the AI service for every request', () => {
  const startRig = useAiRig();

  it('logs a request served after a fallback, with the failed attempt that cost nothing and is absent from the ledger', async () => {
    const rig = await startRig();
    rig.sandbox.script('azure', [{ kind: 'unauthorized' }]);
    const updated = nextUpdate(rig);
    const result = await complete(rig, { ...prompt(), campaignId: 'spring-ppv', operatorId: 'op-anna' });
    expect(await updated).toEqual({ count: 1 });
    expect(result.outcome).toBe('ok');

    const page = await list(rig);
    expect(page.nextCursor).toBeNull();
    expect(page.rows).toEqual([
      expect.objectContaining({ id: result.requestId, outcome: 'ok', provider: 'openai', purpose: 'personalize', campaignId: 'spring-ppv', operatorId: 'op-anna', attemptCount: 2, costMicros: result.costMicros, usage: result.usage, servedByFallback: true }),
    ]);
    expect(page.rows[0]!.costMicros).toBeGreaterThan(0);
    const d = await detail(rig, result.requestId);
    expect(d!.attempts).toEqual(result.attempts);
    expect(d!.attempts.map((a) => [a.provider, a.outcome, a.costMicros])).toEqual([['azure', 'unauthorized', 0], ['openai', 'ok', result.costMicros]]);
    // The ledger holds what cost money; the log holds what happened.
    expect(rig.services.db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(1);
  });

  it('logs a request every route failed, with its outcome, though nothing was charged', async () => {
    const rig = await startRig();
    for (const p of ['azure', 'openai', 'local'] as const) rig.sandbox.setStandingFault(p, { kind: 'unauthorized' });
    const updated = nextUpdate(rig);
    const result = await complete(rig);
    await updated;
    expect(result.outcome).toBe('failed');
    const [row] = (await list(rig, { filters: { outcome: 'failed' } })).rows;
    expect(row).toMatchObject({ id: result.requestId, outcome: 'failed', errorKind: 'unauthorized', provider: 'local', costMicros: 0, attemptCount: 3 });
    expect((await list(rig, { filters: { outcome: 'ok' } })).rows).toEqual([]);
    expect(rig.services.db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(0);
  });

  it('a log write that fails neither fails nor changes the completion; the cost row is still recorded', async () => {
    const rig = await startRig();
    rig.services.db.exec("CREATE TEMP TRIGGER no_log BEFORE INSERT ON ai_requests BEGIN SELECT RAISE(ABORT, 'disk is full'); END");
    const result = await complete(rig);
    expect(result.outcome).toBe('ok');
    // The failed write is logged when the queued row is flushed; close flushes what is left.
    await rig.close();
    expect(rig.logger.lines.some((l) => l.includes('request log rows could not be written') && l.includes('disk is full'))).toBe(true);
    const db = openDatabase(join(rig.dataDir, DB_FILE));
    try {
      expect(db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get()).toBe(1);
      expect(db.prepare('SELECT COUNT(*) FROM ai_requests').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('a request cut short by closing the profile is still logged, as cancelled', async () => {
    const rig = await startRig();
    rig.sandbox.setStandingFault('azure', { kind: 'timeout' });
    const pending = rig.services.registry.dispatch('ai.complete', prompt());
    // Requests arriving mid-close are the profile's to finish; the reply comes before the file closes.
    await rig.close();
    const reply = await pending;
    expect(reply).toMatchObject({ ok: true, value: { outcome: 'failed', error: { kind: 'cancelled' } } });
    const db = openDatabase(join(rig.dataDir, DB_FILE));
    try {
      expect(db.prepare('SELECT outcome, error_kind FROM ai_requests').all()).toEqual([{ outcome: 'failed', error_kind: 'cancelled' }]);
    } finally {
      db.close();
    }
  });

  it('Sandbox and live never mix: each reads its own profile’s log', async () => {
    const rig = await startRig();
    const live = await complete(rig);
    await call(rig, 'settings.update', { sandboxMode: true });
    expect((await list(rig)).rows).toEqual([]);
    const inSandbox = await complete(rig);
    // The row is queued by the time the reply comes; written now rather than at the next turn.
    rig.services.ai.requestLog.flush();
    expect((await list(rig)).rows.map((r) => r.id)).toEqual([inSandbox.requestId]);
    expect(await detail(rig, live.requestId)).toBeNull();
    await call(rig, 'settings.update', { sandboxMode: false });
    expect((await list(rig)).rows.map((r) => r.id)).toEqual([live.requestId]);
  });

  it('refuses a page too large, a malformed cursor and an unknown filter with a typed error', async () => {
    const rig = await startRig();
    for (const input of [{ limit: 201 }, { before: 'DROP TABLE' }, { filters: { provider: 'acme' } }, { filters: { search: 'x'.repeat(101) } }, { filters: { model: 'gpt' } }]) {
      const r = await rig.services.registry.dispatch('requests.list', input);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    }
  });
});
