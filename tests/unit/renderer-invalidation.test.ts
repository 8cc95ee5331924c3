import { QueryClient } from '@tanstack/query-core';
import { describe, expect, it } from 'vitest';
import type { BudgetModel } from '../../shared/budgets';
import { eventNames, methodNames } from '../../shared/contract';
import { ANSWERS, applyAnswer, applyEvent, EVENT_EFFECTS } from '../../renderer/src/api/invalidation';

const SETTINGS = { operatorName: 'Ana', theme: 'dark', language: 'fr', sandboxMode: true, timeZone: 'Asia/Kolkata' } as const;
const SANDBOX = { enabled: true, url: 'http://127.0.0.1:1', faults: { azure: 'server_error' } } as const;

/** A cache holding one answer per method the map talks about, as the renderer's pages would. */
function seeded(): QueryClient {
  const client = new QueryClient();
  for (const method of ['settings.get', 'providers.list', 'health.get', 'sandbox.state', 'routing.get', 'metrics.orchestrator', 'app.info'] as const) {
    client.setQueryData([method, {}], { seeded: method });
  }
  return client;
}

const stale = (client: QueryClient) =>
  client
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => q.queryKey[0])
    .sort();

describe('the renderer cache follows the core’s events', () => {
  it('has an effect for every event, naming only real methods', () => {
    expect(Object.keys(EVENT_EFFECTS).sort()).toEqual([...eventNames].sort());
    for (const effect of Object.values(EVENT_EFFECTS)) {
      for (const method of [...effect.invalidates, ...('replaces' in effect && effect.replaces ? [effect.replaces] : [])]) {
        expect(methodNames).toContain(method);
      }
    }
    for (const [mutation, query] of Object.entries(ANSWERS)) expect(methodNames).toEqual(expect.arrayContaining([mutation, query]));
  });

  it('writes the settings a settings.changed carries and marks everything the profile switch touches stale', () => {
    const client = seeded();
    applyEvent(client, 'settings.changed', SETTINGS);
    expect(client.getQueryData(['settings.get', {}])).toEqual(SETTINGS);
    expect(stale(client)).toEqual(['health.get', 'metrics.orchestrator', 'providers.list', 'routing.get', 'sandbox.state']);
  });

  it('keeps what settings.changed carries over a read that was already in flight with the old answer', async () => {
    const client = new QueryClient();
    const answers = [{ ...SETTINGS, theme: 'system' }, SETTINGS];
    let release: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const queryFn = async () => {
      const answer = answers[Math.min(calls++, 1)];
      if (calls === 1) await first;
      return answer;
    };
    const observer = client.getQueryCache().build(client, { queryKey: ['settings.get', {}], queryFn });
    const read = observer.fetch().catch(() => undefined);
    applyEvent(client, 'settings.changed', SETTINGS);
    release();
    await read;
    await expect.poll(() => client.isFetching()).toBe(0);
    expect(client.getQueryData(['settings.get', {}])).toEqual(SETTINGS);
    expect(calls).toBe(2);
  });

  it('marks the provider list and health stale on providers.changed, and nothing else', () => {
    const client = seeded();
    applyEvent(client, 'providers.changed', { provider: 'openai' });
    expect(stale(client)).toEqual(['health.get', 'providers.list']);
    expect(client.getQueryData(['settings.get', {}])).toEqual({ seeded: 'settings.get' });
  });

  it('writes the sandbox state that sandbox.changed carries without refetching anything', () => {
    const client = seeded();
    applyEvent(client, 'sandbox.changed', SANDBOX);
    expect(client.getQueryData(['sandbox.state', {}])).toEqual(SANDBOX);
    expect(stale(client)).toEqual([]);
  });

  it('writes the budget model budgets.changed carries and redraws the forecast’s budget lines; a routing change leaves the forecast alone', () => {
    const client = seeded();
    client.setQueryData(['costs.forecast', {}], { seeded: 'costs.forecast' });
    client.setQueryData(['costs.thresholds', {}], { seeded: 'costs.thresholds' });
    const model: BudgetModel = { thresholds: [{ id: 'g', scope: 'global', target: null, period: 'month', amountMicros: 5_000_000, levels: [50, 80, 100], hardStop: 'none' }] };
    applyEvent(client, 'routing.changed', { seeded: 'routing.changed' } as never);
    expect(stale(client)).toEqual([]);
    applyEvent(client, 'budgets.changed', model);
    expect(client.getQueryData(['costs.thresholds', {}])).toEqual(model);
    expect(stale(client)).toEqual(['costs.forecast']);
  });

  it('writes a mutation’s reply where it is the new answer of a query, and leaves other replies alone', () => {
    const client = seeded();
    applyAnswer(client, 'settings.update', SETTINGS);
    applyAnswer(client, 'sandbox.setFault', SANDBOX);
    applyAnswer(client, 'providers.test', { ok: true });
    expect(client.getQueryData(['settings.get', {}])).toEqual(SETTINGS);
    expect(client.getQueryData(['sandbox.state', {}])).toEqual(SANDBOX);
    expect(client.getQueryData(['providers.list', {}])).toEqual({ seeded: 'providers.list' });
    expect(stale(client)).toEqual([]);
  });
});
