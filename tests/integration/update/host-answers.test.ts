import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updatesMethods, UPDATE_METHODS } from '../../../shared/contract/updates';
import { withHostAnswers } from '../../../main/core/api';
import { EventBus } from '../../../main/ipc/events';
import { createTableRegistry } from '../../../main/ipc/registry';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { updatesHandlers } from '../../../main/update/handlers';
import { createUpdater } from '../../../main/update/updater';
import { useServicesStack } from '../../support/services-stack';
import { useTempDirs } from '../../support/tmp';
import { nodeAppAdapter, RecordingDebUpdater, startUpdateFeed } from '../../support/update-feed';

const stack = useServicesStack();
const tempDir = useTempDirs();

describe('updates through the contract', () => {
  it('the browser host answers that updates come with the desktop app', async () => {
    const { call } = await stack();
    const unsupported = { state: { kind: 'unsupported', reason: 'browser_host' }, channel: 'stable', checkedAt: null };
    expect(await call('updates.status', {})).toEqual({ ok: true, value: unsupported });
    expect(await call('updates.check', {})).toEqual({ ok: true, value: unsupported });
    expect(await call('updates.setChannel', { channel: 'beta' })).toEqual({ ok: true, value: unsupported });
    expect(await call('updates.restart', {})).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'update_not_ready' } });
    expect(await call('updates.setChannel', { channel: 'nightly' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['channel'] }] } });
  });

  it('a host that updates itself answers updates.* and passes the rest to the core, with both events', async () => {
    const { services } = await stack();
    const feed = await startUpdateFeed();
    try {
      feed.answer('/latest-linux.yml', 200, 'version: 1.0.0\nfiles:\n  - url: a.deb\n    sha512: AAAA\n    size: 1\npath: a.deb\nsha512: AAAA\n');
      const dir = tempDir();
      const updater = createUpdater({ engine: new RecordingDebUpdater(nodeAppAdapter(dir, '1.0.0', feed.url)), dataDir: join(dir, 'userData'), clock: manualClock(), logger: silentLogger });
      const events = new EventBus();
      updater.onChange((s) => events.emit('updates.changed', s));
      const api = withHostAnswers(services, { methods: UPDATE_METHODS, registry: createTableRegistry(updatesMethods, updatesHandlers(updater), silentLogger), events });

      const heard: string[] = [];
      const off = api.events.subscribe((name) => heard.push(name));
      expect(await api.registry.dispatch('updates.check', {})).toMatchObject({ ok: true, value: { state: { kind: 'up_to_date' }, channel: 'stable' } });
      expect(await api.registry.dispatch('updates.restart', {})).toMatchObject({ ok: false, error: { code: 'update_not_ready' } });
      expect(await api.registry.dispatch('updates.status', { extra: 1 })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
      expect(await api.registry.dispatch('app.info', {})).toMatchObject({ ok: true, value: { host: 'web' } });
      expect(await api.registry.dispatch('settings.update', { theme: 'dark' })).toMatchObject({ ok: true });
      expect(heard).toContain('updates.changed');
      expect(heard).toContain('settings.changed');

      off();
      heard.length = 0;
      await api.registry.dispatch('updates.check', {});
      expect(heard).toEqual([]);
    } finally {
      await feed.close();
    }
  });
});
