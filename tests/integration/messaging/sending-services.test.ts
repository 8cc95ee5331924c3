import { describe, expect, it } from 'vitest';
import { startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import type { Account } from '../../../shared/accounts';
import type { Send, SendProgress } from '../../../shared/sending';
import { useServicesStack } from '../../support/services-stack';

describe('sending through the contract (real services, real SQLite, the Sandbox’s OnlyFans server)', () => {
  const stack = useServicesStack();
  const start = async () => {
    const { services, call, value, capture, until } = await stack();
    const progress = capture<SendProgress>('sends.progress', (payload) => (payload as { sends: SendProgress[] }).sends);
    const changed = capture('queue.changed');
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

  it('live profile: an HTTP account sends with the key from the SecretStore; without a key its sends fail not_configured', async () => {
    const server = await startOnlyFansSandbox({ apiKey: 'live_key_Qw81' });
    try {
      const { value, progress, until } = await start();
      const keyed = await value<Account>('accounts.create', { name: 'Keyed', platformAccountId: 'keyed', transport: 'onlyfans_http', baseUrl: server.url, apiKey: 'live_key_Qw81' });
      const keyless = await value<Account>('accounts.create', { name: 'Keyless', platformAccountId: 'keyless', transport: 'onlyfans_http', baseUrl: server.url });
      const ok = await value<Send>('onlyfans.sendMessage', { accountId: keyed.id, chatId: 'fan-1', text: 'from the live profile', priceMicros: 2_500_000 });
      const no = await value<Send>('onlyfans.sendMessage', { accountId: keyless.id, chatId: 'fan-1', text: 'no key' });
      await until(() => progress.some((p) => p.id === ok.id && p.state === 'sent') && progress.some((p) => p.id === no.id && p.state === 'failed'));
      expect(server.messages('keyed')).toMatchObject([{ chatId: 'fan-1', text: 'from the live profile', priceMicros: 2_500_000, clientRef: ok.id }]);
      expect(server.messages('keyless')).toEqual([]);
      expect((await value<Send[]>('sends.list', { accountId: keyless.id }))[0]).toMatchObject({ state: 'failed', reason: 'not_configured' });
    } finally {
      await server.close();
    }
  });
});
