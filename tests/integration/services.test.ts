import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { LATEST_SCHEMA_VERSION } from '../../main/db/open';
import { useTempDirs } from '../support/tmp';
import { systemTimeZone } from '../../shared/settings';

describe('the registry over a real SQLite file', () => {
  const tempDir = useTempDirs();

  it('reports health from the open database', async () => {
    const clock = manualClock();
    const dataDir = tempDir();
    const services = await createServices({ dataDir, host: 'web', clock, logger: silentLogger });
    clock.advance(90_500);
    const health = await services.registry.dispatch('health.get', {});
    expect(health).toMatchObject({
      ok: true,
      value: {
        status: 'ok',
        uptimeMs: 90_500,
        dataDir,
        db: { open: true, path: join(dataDir, 'huntaze.db'), schemaVersion: LATEST_SCHEMA_VERSION, journalMode: 'wal' },
      },
    });
    if (health.ok) expect((health.value as { db: { sizeBytes: number } }).db.sizeBytes).toBeGreaterThan(0);
    await services.close();
    expect(await services.registry.dispatch('health.get', {})).toMatchObject({ ok: true, value: { status: 'degraded', db: { open: false } } });
  });

  it('serves defaults, persists updates across a restart and announces them', async () => {
    const dataDir = tempDir();
    const first = await createServices({ dataDir, host: 'web', logger: silentLogger });
    expect(await first.registry.dispatch('settings.get', {})).toEqual({ ok: true, value: { operatorName: 'Operator', theme: 'system', language: 'en', sandboxMode: false, timeZone: systemTimeZone() } });

    const pushed: unknown[] = [];
    first.events.subscribe((event, payload) => pushed.push([event, payload]));
    const updated = await first.registry.dispatch('settings.update', { operatorName: 'Zoé', language: 'fr' });
    const expected = { operatorName: 'Zoé', theme: 'system', language: 'fr', sandboxMode: false, timeZone: systemTimeZone() };
    expect(updated).toEqual({ ok: true, value: expected });
    expect(pushed).toEqual([['settings.changed', expected]]);
    await first.close();

    const second = await createServices({ dataDir, host: 'web', logger: silentLogger });
    expect(await second.registry.dispatch('settings.get', {})).toEqual({ ok: true, value: expected });
    await second.close();
  });

  it('falls back to the default for a stored value that no longer validates', async () => {
    const dataDir = tempDir();
    const services = await createServices({ dataDir, host: 'web', logger: silentLogger });
    services.db.prepare("INSERT INTO settings VALUES ('theme', '\"sepia\"', 1)").run();
    expect(await services.registry.dispatch('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'system' } });
    await services.close();
  });

  it('describes the app and the host it runs in', async () => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger });
    expect(await services.registry.dispatch('app.info', {})).toMatchObject({
      ok: true,
      value: { name: 'huntaze-desktop', productName: 'Huntaze', host: 'web' },
    });
    await services.close();
  });
});

describe('logs', () => {
  const tempDir = useTempDirs();

  it('writes its own log in the data folder and opens that folder for the operator', async () => {
    const dataDir = tempDir();
    const opened: string[] = [];
    const services = await createServices({ dataDir, host: 'web', shell: { openPath: async (p) => (opened.push(p), true) } });
    const dir = join(dataDir, 'logs');
    expect(await services.registry.dispatch('app.logs', {})).toEqual({ ok: true, value: { dir } });
    expect(await services.registry.dispatch('app.openLogsFolder', {})).toEqual({ ok: true, value: { dir, opened: true } });
    expect(opened).toEqual([dir]);
    await services.registry.dispatch('settings.update', { sandboxMode: true });
    await services.close();
    expect(readFileSync(join(dir, 'huntaze.log'), 'utf8')).toContain('sandbox profile open');
  });
});

describe('sandbox mode', () => {
  const tempDir = useTempDirs();

  it('survives quick toggles: one sandbox at most, none left after turning it off', async () => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger });
    const toggles = [true, true, false, true, false, true].map((sandboxMode) => services.registry.dispatch('settings.update', { sandboxMode }));
    expect((await Promise.all(toggles)).every((r) => r.ok)).toBe(true);
    const on = await services.registry.dispatch('sandbox.state', {});
    expect(on).toMatchObject({ ok: true, value: { enabled: true } });
    const url = (on as { ok: true; value: { url: string } }).value.url;
    expect(await fetch(`${url}/v1/models`).then((r) => r.status)).toBe(404); // it answers: the server is up
    await services.registry.dispatch('settings.update', { sandboxMode: false });
    expect(await services.registry.dispatch('sandbox.state', {})).toMatchObject({ ok: true, value: { enabled: false, url: null } });
    await expect(fetch(`${url}/v1/models`)).rejects.toThrow();
    await services.close();
  });

  it('refuses to set a fault while sandbox mode is off', async () => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger });
    expect(await services.registry.dispatch('sandbox.setFault', { target: 'azure', fault: 'server_error' })).toMatchObject({
      ok: false,
      error: { kind: 'conflict' },
    });
    await services.close();
  });
});
