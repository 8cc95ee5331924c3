import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Send, SendProgress } from '../../../shared/sending';
import { useServicesStack } from '../../support/services-stack';

type Stats = { accountId: string; paused: boolean; queued: number };

describe('Pause all sending / Resume all (the tray’s commands): every account, persisted like one account’s pause (real services, Sandbox)', () => {
  const stack = useServicesStack();

  it('pauses every account across a restart, holds what is queued, and resume all sends it', async () => {
    const first = await stack({ sandbox: true });
    const accounts = await first.value<Account[]>('accounts.list', {});
    expect(accounts.length).toBeGreaterThan(1);
    const changed = first.capture<{ accountId: string | null }>('queue.changed');
    expect(await first.value('queue.pauseAll', {})).toEqual({ affected: 0, accounts: accounts.length });
    expect(new Set(changed.map((c) => c.accountId))).toEqual(new Set(accounts.map((a) => a.id)));
    expect((await first.value<Stats[]>('onlyfans.stats', {})).every((s) => s.paused)).toBe(true);
    // Twice is harmless: nothing more to hold.
    expect(await first.value('queue.pauseAll', {})).toEqual({ affected: 0, accounts: accounts.length });

    const sends = await Promise.all(accounts.slice(0, 2).map((a, i) => first.value<Send>('onlyfans.sendMessage', { accountId: a.id, chatId: `fan-${i}`, text: 'held' })));
    const dataDir = first.dataDir;
    await first.close();

    const again = await stack({ dataDir, sandbox: true });
    const progress = again.capture<SendProgress>('sends.progress', (p) => (p as { sends: SendProgress[] }).sends);
    const stats = await again.value<Stats[]>('onlyfans.stats', {});
    expect(stats.map((s) => s.paused)).toEqual(accounts.map(() => true));
    expect((await again.value<Send[]>('sends.list', { states: ['queued'] })).map((s) => s.id).sort()).toEqual(sends.map((s) => s.id).sort());

    expect(await again.value('queue.resumeAll', {})).toEqual({ affected: 2, accounts: accounts.length });
    expect((await again.value<Stats[]>('onlyfans.stats', {})).some((s) => s.paused)).toBe(false);
    await again.until(() => sends.every((s) => progress.some((p) => p.id === s.id && p.state === 'sent')));
    expect(await again.value('sandbox.sendReport', {})).toMatchObject({ received: 2, violations: 0 });
  });

  it('refuses input it does not take', async () => {
    const { call } = await stack();
    expect(await call('queue.pauseAll', { accountId: 'x' })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
  });
});
