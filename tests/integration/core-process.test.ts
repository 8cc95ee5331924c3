import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreStartError } from '../../main/core/client';
import { openDatabase } from '../../main/db/open';
import { HOST_LOG_FILE, LOG_FILE, LOGS_DIR } from '../../main/log';
import { prompt } from '../support/ai';
import { useCoreProcesses } from '../support/core-process';
import { useTempDirs } from '../support/tmp';
import { systemTimeZone } from '../../shared/settings';

const UNAVAILABLE = { ok: false, error: { kind: 'unavailable', code: 'host_unreachable', params: {} } };
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the core in its own process (the real entry, forked)', () => {
  const tempDir = useTempDirs();
  const startCore = useCoreProcesses();

  it('carries calls and events across the process boundary, then closes cleanly', async () => {
    const dataDir = tempDir();
    const { core, forked } = startCore(dataDir);
    const { pid } = await core.ready;
    expect(pid).toBe(forked.child.pid);
    expect(pid).not.toBe(process.pid);

    expect(await core.registry.dispatch('settings.get', {})).toEqual({
      ok: true,
      value: { operatorName: 'Operator', theme: 'system', language: 'en', sandboxMode: false, timeZone: systemTimeZone() },
    });
    expect(await core.registry.dispatch('settings.update', { theme: 'plaid' })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(await core.invoke('health.get', {})).toMatchObject({ ok: true, value: { db: { open: true, path: join(dataDir, 'huntaze.db') } } });

    const pushed = new Promise((resolve) => core.events.subscribe((event, payload) => resolve([event, payload])));
    await core.registry.dispatch('settings.update', { operatorName: 'Night shift' });
    expect(await pushed).toEqual(['settings.changed', { operatorName: 'Night shift', theme: 'system', language: 'en', sandboxMode: false, timeZone: systemTimeZone() }]);

    expect(await core.close()).toEqual({ code: 0, signal: null, requested: true });
    // The core logs to its own file; the host process (not started here) would write host.log.
    expect(existsSync(join(dataDir, LOGS_DIR, LOG_FILE))).toBe(true);
    expect(existsSync(join(dataDir, LOGS_DIR, HOST_LOG_FILE))).toBe(false);
  });

  it('asks its host for what only the shell can do: safeStorage once at open, the file manager on request', async () => {
    const dataDir = tempDir();
    // A key the former desktop store sealed with safeStorage: opaque bytes only the shell can open.
    const db = openDatabase(join(dataDir, 'huntaze.db'));
    const sealed = Buffer.concat([Buffer.from('v10'), randomBytes(48)]);
    db.prepare('INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, 1)').run('provider.openai.apiKey', sealed);
    db.close();
    const asked: unknown[] = [];
    const { core } = startCore(dataDir, {
      'safeStorage.decrypt': async (rows) => {
        asked.push(rows);
        return rows.map((r) => ({ name: r.name, value: Buffer.from(r.ciphertext, 'base64').equals(sealed) ? 'sk-live-from-safe-storage-1' : null }));
      },
      'shell.openPath': async (path) => (asked.push(path), true),
    });
    await core.ready;
    expect(asked).toEqual([[{ name: 'provider.openai.apiKey', ciphertext: sealed.toString('base64') }]]);
    const list = await core.registry.dispatch('providers.list', {});
    expect(list).toMatchObject({ ok: true, value: { providers: expect.arrayContaining([expect.objectContaining({ id: 'openai', keySet: true })]) } });
    const logs = join(dataDir, LOGS_DIR);
    expect(await core.registry.dispatch('app.openLogsFolder', {})).toEqual({ ok: true, value: { dir: logs, opened: true } });
    expect(asked.at(-1)).toBe(logs);
    await core.close();
    // Re-sealed under the new store: the plaintext is nowhere in the file.
    expect(readFileSync(join(dataDir, 'huntaze.db')).includes('sk-live-from-safe-storage-1')).toBe(false);
  });

  it('sends a fired alert’s OS notification across to its host, and hears the host say it could not show one', async () => {
    const shown: unknown[] = [];
    let answer = false;
    const { core } = startCore(tempDir(), {
      notify: async (notice) => {
        shown.push(notice);
        return answer;
      },
    });
    await core.ready;
    // A host that could not show it: Send test says so, in the core's own words.
    expect(await core.registry.dispatch('alerts.test', { channel: 'os' })).toMatchObject({ ok: true, value: { ok: false, code: 'no_notifier' } });
    expect(shown).toEqual([expect.objectContaining({ level: 'info', path: expect.stringMatching(/^\/alerts\/test-\d+$/) })]);

    answer = true;
    shown.length = 0;
    // Sandbox mode: its built-in provider charges the call, and its alerts notify on this machine.
    await core.registry.dispatch('settings.update', { sandboxMode: true });
    const budget = { id: 'g-day', scope: 'global', target: null, period: 'day', amountMicros: 1, levels: [100], hardStop: 'none' };
    expect(await core.registry.dispatch('costs.setThresholds', { thresholds: [budget] })).toMatchObject({ ok: true });
    expect(await core.registry.dispatch('ai.complete', { ...prompt(), maxOutputTokens: 20 })).toMatchObject({ ok: true, value: { outcome: 'ok' } });
    const alerts = (await core.registry.dispatch('costs.alerts', {})) as { ok: true; value: { id: string; path: string }[] };
    expect(alerts.value).toHaveLength(1);
    await expect.poll(() => shown).toEqual([
      { id: alerts.value[0]!.id, level: 'critical', title: 'Critical: All AI spend reached 100% of its daily budget', body: expect.stringMatching(/^Spent \$/), path: alerts.value[0]!.path },
    ]);
    await expect.poll(async () => ((await core.registry.dispatch('costs.alerts', {})) as typeof alerts).value[0]).toMatchObject({ channels: [{ channel: 'os', state: 'delivered' }] });
    await core.close();
  });

  it('refuses a damaged database in words for the operator, leaving the file untouched', async () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'huntaze.db');
    writeFileSync(path, Buffer.alloc(8192, 0xab));
    const before = sha(path);
    const { core } = startCore(dataDir);
    const err = await core.ready.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreStartError);
    expect(err).toMatchObject({ code: 'db_open', message: expect.stringMatching(/not a SQLite database or is damaged/) });
    expect(await core.close()).toMatchObject({ code: 1, requested: true });
    expect(sha(path)).toBe(before);
  });

  it('answers a call in flight unavailable when the core is killed mid-call', async () => {
    const { core, forked } = startCore(tempDir());
    await core.ready;
    await core.registry.dispatch('settings.update', { sandboxMode: true });
    for (const target of ['azure', 'openai', 'local']) {
      expect(await core.registry.dispatch('sandbox.setFault', { target, fault: 'timeout' })).toMatchObject({ ok: true });
    }
    // The sandbox holds every completion: this call stays in flight until something ends it.
    const inFlight = core.registry.dispatch('ai.complete', prompt());
    // Calls travel in order, so once this answers the completion is in the core's hands.
    expect(await core.registry.dispatch('sandbox.state', {})).toMatchObject({ ok: true, value: { enabled: true } });

    forked.child.kill('SIGKILL');
    expect(await inFlight).toEqual(UNAVAILABLE);
    expect(await core.exited).toEqual({ code: null, signal: 'SIGKILL', requested: false });
    expect(await core.registry.dispatch('settings.get', {})).toEqual(UNAVAILABLE);
  });

  it('closes by itself when its host goes away, rather than outlive it holding the database', async () => {
    const { core, forked } = startCore(tempDir());
    await core.ready;
    forked.child.disconnect();
    expect(await core.exited).toEqual({ code: 0, signal: null, requested: false });
  });
});
