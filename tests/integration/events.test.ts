import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import { silentLogger } from '../../main/ports/logger';
import { createServices, type Services } from '../../main/services';
import { useTempDirs } from '../support/tmp';

/** Every window refreshes what it shows from these pushes, so each successful change must announce itself, and a refused one must not. */
describe('events the core pushes after a change', () => {
  const tempDir = useTempDirs();

  async function withServices(run: (services: Services, pushed: [EventName, unknown][]) => Promise<void>) {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger });
    const pushed: [EventName, unknown][] = [];
    services.events.subscribe((event, payload) => pushed.push([event, payload]));
    try {
      await run(services, pushed);
    } finally {
      await services.close();
    }
  }

  it('announces a provider whose settings or key changed, and nothing for a refused change', async () => {
    await withServices(async ({ registry }, pushed) => {
      const list = await registry.dispatch('providers.list', {});
      if (!list.ok) throw new Error('providers.list failed');
      const openai = (list.value as { providers: { id: string; config: object }[] }).providers.find((p) => p.id === 'openai')!;

      expect(await registry.dispatch('providers.update', { provider: 'openai', config: { ...openai.config, deployment: 'gpt-4o-mini' } })).toMatchObject({ ok: true });
      expect(await registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-test-0123456789' })).toMatchObject({ ok: true });
      expect(await registry.dispatch('providers.clearKey', { provider: 'openai' })).toMatchObject({ ok: true });
      expect(pushed).toEqual([
        ['providers.changed', { provider: 'openai' }],
        ['providers.changed', { provider: 'openai' }],
        ['providers.changed', { provider: 'openai' }],
      ]);

      pushed.length = 0;
      expect(await registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'short' })).toMatchObject({ ok: false });
      expect(await registry.dispatch('providers.update', { provider: 'openai', config: { ...openai.config, endpoint: 'not a url' } })).toMatchObject({ ok: false });
      expect(pushed).toEqual([]);
    });
  });

  it('announces the routing policy it saved', async () => {
    await withServices(async ({ registry }, pushed) => {
      const policy = await registry.dispatch('routing.get', {});
      if (!policy.ok) throw new Error('routing.get failed');
      const saved = await registry.dispatch('routing.set', policy.value);
      expect(saved).toMatchObject({ ok: true });
      expect(pushed).toEqual([['routing.changed', (saved as { value: unknown }).value]]);
    });
  });

  it('announces the sandbox state after a fault is set, and refuses keys in the sandbox profile silently', async () => {
    await withServices(async ({ registry }, pushed) => {
      expect(await registry.dispatch('sandbox.setFault', { target: 'azure', fault: 'server_error' })).toMatchObject({ ok: false });
      expect(pushed).toEqual([]);

      await registry.dispatch('settings.update', { sandboxMode: true });
      pushed.length = 0;
      const state = await registry.dispatch('sandbox.setFault', { target: 'azure', fault: 'server_error' });
      expect(state).toMatchObject({ ok: true, value: { enabled: true, faults: { azure: 'server_error' } } });
      expect(pushed).toEqual([['sandbox.changed', (state as { value: unknown }).value]]);

      pushed.length = 0;
      expect(await registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'sk-test-0123456789' })).toMatchObject({
        ok: false,
        error: { code: 'sandbox_keys' },
      });
      expect(pushed).toEqual([]);
    });
  });
});
