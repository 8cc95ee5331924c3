import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/open';
import { accountSecretName } from '../../../main/messaging/accounts';
import { DB_FILE } from '../../../main/paths';
import { manualClock } from '../../../main/ports/clock';
import { createServices, type Services } from '../../../main/services';
import type { Account } from '../../../shared/accounts';
import type { Issue } from '../../../shared/result';
import { recordingLogger, type RecordingLogger } from '../../support/ai';
import { useTempDirs } from '../../support/tmp';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

const draft = (overrides: Record<string, unknown> = {}) => ({
  name: 'Mia Rose',
  platformAccountId: 'mia.rose',
  transport: 'onlyfans_http',
  baseUrl: 'https://api.example.com',
  colour: 'violet',
  ...overrides,
});

describe('creator accounts over a real SQLite file (real services)', () => {
  const tempDir = useTempDirs();
  const open: Services[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const start = async (dataDir = tempDir(), logger: RecordingLogger = recordingLogger()) => {
    const clock = manualClock();
    const services = await createServices({ dataDir, host: 'web', logger, clock });
    open.push(services);
    const call = async <T = Account>(method: string, input: unknown) =>
      (await services.registry.dispatch(method, input)) as { ok: true; value: T } | { ok: false; error: { kind: string; code: string; issues?: Issue[] } };
    return { services, call, clock, dataDir, logger };
  };
  const value = <T>(r: { ok: true; value: T } | { ok: false }): T => {
    expect(r.ok).toBe(true);
    return (r as { value: T }).value;
  };
  const issues = (r: { ok: boolean; error?: { issues?: Issue[] } }) => r.error?.issues ?? [];

  it('creates, lists, updates and removes, with defaults, Clock times and an accounts.changed event each time', async () => {
    const { services, call, clock } = await start();
    const seen: unknown[] = [];
    const off = services.events.subscribe((name, payload) => void (name === 'accounts.changed' && seen.push(payload)));
    const created = value(await call('accounts.create', draft()));
    expect(created).toMatchObject({
      name: 'Mia Rose',
      platformAccountId: 'mia.rose',
      transport: 'onlyfans_http',
      limits: { perMinute: 10, minSpacingSeconds: 3, burst: 1 },
      apiKeySet: false,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    const exported = value(await call('accounts.create', { name: 'Ana', platformAccountId: 'ana_b' }));
    // The live profile's default needs neither address nor key.
    expect(exported.transport).toBe('export');
    expect(value(await call<Account[]>('accounts.list', {})).map((a) => a.name)).toEqual(['Ana', 'Mia Rose']);

    clock.advance(60_000);
    const updated = value(await call('accounts.update', { ...draft({ name: 'Mia R.', limits: { perMinute: 6, minSpacingSeconds: 5, burst: 2 } }), id: created.id }));
    expect(updated).toMatchObject({ id: created.id, name: 'Mia R.', limits: { perMinute: 6, minSpacingSeconds: 5, burst: 2 }, createdAt: created.createdAt, updatedAt: clock.now() });

    expect(value(await call('accounts.remove', { id: created.id }))).toEqual({ id: created.id });
    expect(value(await call<Account[]>('accounts.list', {})).map((a) => a.id)).toEqual([exported.id]);
    expect(await call('accounts.remove', { id: created.id })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'account_not_found' } });
    expect(seen).toEqual([{ id: created.id }, { id: exported.id }, { id: created.id }, { id: created.id }]);
    off();
  });

  it('puts each problem at its field and writes nothing', async () => {
    const { call } = await start();
    const bad = await call('accounts.create', {
      name: '',
      platformAccountId: 'has space',
      baseUrl: 'http://api.example.com',
      limits: { perMinute: 0, minSpacingSeconds: 99_999, burst: 1.5 },
      colour: 'gold',
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    const paths = issues(bad).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'platformAccountId', 'baseUrl', 'limits.perMinute', 'limits.minSpacingSeconds', 'limits.burst', 'colour']));
    expect(issues(bad).find((i) => i.path[0] === 'baseUrl')?.params).toMatchObject({ rule: 'https_required', host: 'api.example.com' });
    expect(issues(bad).find((i) => i.path[0] === 'name')).toMatchObject({ code: 'too_small' });

    const noAddress = await call('accounts.create', draft({ baseUrl: null }));
    expect(issues(noAddress)).toEqual([expect.objectContaining({ path: ['baseUrl'], params: expect.objectContaining({ rule: 'base_url_required' }) })]);
    // Plain http is fine to this machine (a loopback API or the sandbox server).
    expect((await call('accounts.create', draft({ baseUrl: 'http://127.0.0.1:8123' }))).ok).toBe(true);
    expect(value(await call<Account[]>('accounts.list', {}))).toHaveLength(1);
  });

  it('refuses a platform account id already used, on create and on update, as a field error', async () => {
    const { call } = await start();
    const first = value(await call('accounts.create', draft()));
    const other = value(await call('accounts.create', draft({ platformAccountId: 'other' })));
    const dup = await call('accounts.create', draft({ name: 'Copy' }));
    expect(dup).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: ['platformAccountId'], code: 'custom', params: { rule: 'duplicate' } }] } });
    const dupUpdate = await call('accounts.update', { ...draft(), id: other.id });
    expect(issues(dupUpdate)).toEqual([expect.objectContaining({ path: ['platformAccountId'], params: { rule: 'duplicate' } })]);
    // Saving an account under its own id is not a duplicate.
    expect((await call('accounts.update', { ...draft({ name: 'Mia' }), id: first.id })).ok).toBe(true);
    expect(value(await call<Account[]>('accounts.list', {})).map((a) => a.platformAccountId).sort()).toEqual(['mia.rose', 'other']);
  });

  it('keeps the API key sealed: never in the database file, the logs or any reply; replies say only whether it is set', async () => {
    const canary = `of-canary-${randomBytes(12).toString('hex')}`;
    const { services, call, dataDir, logger } = await start();
    const replies: unknown[] = [];
    const logged = async (method: string, input: unknown) => {
      const r = await call(method, input);
      replies.push(r);
      return r;
    };
    const created = value(await logged('accounts.create', draft({ apiKey: canary })));
    expect(created.apiKeySet).toBe(true);
    const kept = value(await logged('accounts.update', { ...draft({ name: 'Kept' }), id: created.id }));
    expect(kept.apiKeySet).toBe(true);
    await logged('accounts.create', draft({ platformAccountId: 'bad one', apiKey: canary }));
    await logged('accounts.create', draft({ apiKey: canary }));
    await logged('accounts.list', {});
    const cleared = value(await logged('accounts.update', { ...draft(), id: created.id, apiKey: null }));
    expect(cleared.apiKeySet).toBe(false);
    value(await logged('accounts.update', { ...draft(), id: created.id, apiKey: canary }));
    await services.close();
    open.splice(0);

    const db = openDatabase(join(dataDir, DB_FILE));
    const row = db.prepare<[string], { ciphertext: Buffer }>('SELECT ciphertext FROM secrets WHERE name = ?').get(accountSecretName(created.id));
    db.close();
    expect(row?.ciphertext.length).toBeGreaterThan(canary.length);
    expect(JSON.stringify(replies)).not.toContain(canary);
    expect(logger.lines.join('\n')).not.toContain(canary);
    for (const file of filesUnder(dataDir)) expect(readFileSync(file).includes(Buffer.from(canary)), file).toBe(false);

    // Removing the account removes its key.
    const again = await start(dataDir);
    expect(value(await again.call<Account[]>('accounts.list', {}))[0]).toMatchObject({ id: created.id, apiKeySet: true });
    value(await again.call('accounts.remove', { id: created.id }));
    await again.services.close();
    open.splice(0);
    const after = openDatabase(join(dataDir, DB_FILE));
    expect(after.prepare('SELECT COUNT(*) FROM secrets WHERE name = ?').pluck().get(accountSecretName(created.id))).toBe(0);
    after.close();
  });

  it('keeps Sandbox accounts in the Sandbox database, defaulting to the sandbox transport, with no real keys', async () => {
    const { call } = await start();
    const live = value(await call('accounts.create', draft()));
    expect(value(await call('settings.update', { sandboxMode: true }))).toBeDefined();
    // Only the Sandbox's own demo creators: nothing of the live profile.
    expect(value(await call<Account[]>('accounts.list', {})).map((a) => a.platformAccountId)).toEqual(['demo.ava.stone', 'demo.luna.vale', 'demo.mia.rose']);
    const demo = value(await call('accounts.create', { name: 'Demo creator', platformAccountId: 'mia.rose' }));
    expect(demo.transport).toBe('sandbox');
    expect(await call('accounts.create', draft({ platformAccountId: 'keyed', apiKey: 'k-123' }))).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'sandbox_keys' } });
    expect(await call('accounts.remove', { id: live.id })).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
    expect(value(await call('settings.update', { sandboxMode: false }))).toBeDefined();
    expect(value(await call<Account[]>('accounts.list', {})).map((a) => a.id)).toEqual([live.id]);
  });
});
