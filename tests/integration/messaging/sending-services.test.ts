import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../main/services';
import type { Account } from '../../../shared/accounts';
import type { Send, SendProgress } from '../../../shared/sending';
import { recordingLogger } from '../../support/ai';
import { useTempDirs } from '../../support/tmp';

type Reply<T> = { ok: true; value: T } | { ok: false; error: { kind: string; code: string; params: Record<string, unknown> } };

describe('sending through the contract (real services, real SQLite, the Sandbox’s OnlyFans server)', () => {
  const tempDir = useTempDirs();
  const open: Services[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const start = async () => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: recordingLogger() });
    open.push(services);
    const call = async <T>(method: string, input: unknown) => (await services.registry.dispatch(method, input)) as Reply<T>;
    const value = async <T>(method: string, input: unknown): Promise<T> => {
      const r = await call<T>(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
      return r.value;
    };
    const progress: SendProgress[] = [];
    const changed: unknown[] = [];
    const waiters: Array<() => void> = [];
    services.events.subscribe((name, payload) => {
      if (name === 'sends.progress') progress.push(...(payload as { sends: SendProgress[] }).sends);
      if (name === 'queue.changed') changed.push(payload);
      for (const w of [...waiters]) w();
    });
    /** Resolves once `test` holds, checked at once and after each event. */
    const until = (test: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!test()) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      });
    return { services, call, value, progress, changed, until };
  };

  it('a fresh Sandbox has three demo creators; a quick send goes to the OnlyFans sandbox, paced, with progress events', async () => {
    const { value, call, progress, until } = await start();
    await value('settings.update', { sandboxMode: true });
    const accounts = await value<Account[]>('accounts.list', {});
    expect(accounts.map((a) => a.transport)).toEqual(['sandbox', 'sandbox', 'sandbox']);
    expect(new Set(accounts.map((a) => a.colour)).size).toBe(3);

    const [mia, other] = accounts;
    const send = await value<Send>('onlyfans.sendMessage', { accountId: mia!.id, chatId: 'fan-7', text: 'Thanks for subscribing!' });
    expect(send).toMatchObject({ state: 'queued', jobId: 'quick', attempts: 0 });
    await until(() => progress.some((p) => p.id === send.id && p.state === 'sent'));
    expect(await value('sandbox.sendReport', {})).toMatchObject({ received: 1, violations: 0, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const [stats] = await value<Array<Record<string, unknown>>>('onlyfans.stats', { accountId: mia!.id });
    expect(stats).toMatchObject({ accountId: mia!.id, sentLastMinute: 1, queued: 0, perMinute: 10, minSpacingSeconds: 3 });
    // The account's spacing now holds the next send back: the Limits page shows when it may go.
    expect(stats!.nextSlotAt as number).toBeGreaterThan(Date.now());
    expect(stats!.limitedBy).toBe('account');
    expect((await value<Send[]>('sends.list', { accountId: mia!.id })).map((s) => s.state)).toEqual(['sent']);

    // A scripted fault answers the next send on that account: it waits with a typed reason.
    expect(await value('sandbox.sendFault', { accountId: other!.id, fault: 'server_error' })).toEqual({ ok: true });
    const faulted = await value<Send>('onlyfans.sendMessage', { accountId: other!.id, chatId: 'fan-8', text: 'hello' });
    await until(() => progress.some((p) => p.id === faulted.id && p.state === 'queued' && p.reason === 'server_error'));

    const blocked = await call('onlyfans.sendMessage', { accountId: mia!.id, chatId: 'fan-7', text: 'tip me on Venmo instead' });
    expect(blocked).toMatchObject({ ok: false, error: { kind: 'invalid_input', code: 'restricted_word', params: { word: 'venmo' } } });
    expect(await value('sandbox.sendReport', {})).toMatchObject({ received: 1 });
  });

  it('live profile: sandbox tools are refused, a sandbox-transport account cannot send, controls answer with typed errors', async () => {
    const { value, call, progress, changed, until } = await start();
    expect(await call('sandbox.sendReport', {})).toMatchObject({ ok: false, error: { code: 'sandbox_only' } });
    const acc = await value<Account>('accounts.create', { name: 'Test', platformAccountId: 'tester', transport: 'sandbox' });
    expect(await call('sandbox.sendFault', { accountId: acc.id, fault: 'timeout' })).toMatchObject({ ok: false, error: { code: 'sandbox_only' } });

    const send = await value<Send>('onlyfans.sendMessage', { accountId: acc.id, chatId: 'f', text: 'hello' });
    await until(() => progress.some((p) => p.id === send.id && p.state === 'failed'));
    expect(progress.find((p) => p.id === send.id && p.state === 'failed')).toMatchObject({ reason: 'not_configured' });

    expect(await call('onlyfans.sendMessage', { accountId: '0190-missing', chatId: 'f', text: 'x' })).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
    expect(await call('sends.retry', { id: 'no-such-send' })).toMatchObject({ ok: false, error: { code: 'send_not_found' } });
    expect(await call('sends.resolve', { id: send.id, as: 'sent' })).toMatchObject({ ok: false, error: { code: 'send_state' } });
    expect(await value('queue.pause', { accountId: acc.id })).toEqual({ affected: 0 });
    expect(changed).toEqual([{ accountId: acc.id, jobId: null }]);
    expect(await value('queue.resume', { accountId: acc.id })).toEqual({ affected: 0 });

    // Removing the account fails what it still had queued.
    await value('queue.pause', { accountId: acc.id });
    const waiting = await value<Send>('onlyfans.sendMessage', { accountId: acc.id, chatId: 'f', text: 'later' });
    await value('accounts.remove', { id: acc.id });
    expect((await value<Send[]>('sends.list', { states: ['failed'] })).find((s) => s.id === waiting.id)).toMatchObject({ reason: 'account_removed' });
  });
});
