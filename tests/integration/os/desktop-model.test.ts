import { describe, expect, it } from 'vitest';
import { badgeCount, type DesktopState, EMPTY_STATE, followDesktop, trayView } from '../../../main/app/desktop-model';
import type { AlertEntry } from '../../../shared/contract/budgets';
import { prompt, useAiRig } from '../../support/ai';
import { threshold } from '../../support/budgets';
import { useServicesStack } from '../../support/services-stack';

/** Follows the real services as the shell follows the core, keeping every state rendered and waking waiters on each. */
function follow(core: Parameters<typeof followDesktop>[0]) {
  const seen: DesktopState[] = [];
  const waiters: Array<() => void> = [];
  const follower = followDesktop(core, (s) => {
    seen.push(s);
    for (const w of waiters.splice(0)) w();
  });
  const last = () => seen.at(-1);
  const until = (test: (s: DesktopState) => boolean) =>
    new Promise<DesktopState>((resolve) => {
      const check = () => {
        const s = last();
        if (s && test(s)) resolve(s);
        else waiters.push(check);
      };
      check();
    });
  return { follower, seen, until };
}

describe('the tray and badge model follow the core (real services, real SQLite)', () => {
  const stack = useServicesStack();
  const startRig = useAiRig();

  it('sending status and Pause all / Resume all: the tray reads the accounts, paused after pauseAll, in French after the language changes', async () => {
    const s = await stack({ sandbox: true });
    const { follower, until } = follow(s.services);
    const first = await until((x) => x.accounts > 0);
    expect(first).toMatchObject({ language: 'en', todayMicros: 0, paused: 0, sending: 0, accounts: 3 });
    expect(trayView(first)).toMatchObject({ tooltip: 'Huntaze — Today: $0.00 · Not sending', pauseAll: { enabled: true }, resumeAll: { enabled: false } });

    await s.value('queue.pauseAll', {});
    const paused = await until((x) => x.paused === 3);
    expect(trayView(paused)).toMatchObject({ lines: ['Today: $0.00', 'Not sending', '3 paused'], pauseAll: { enabled: false }, resumeAll: { enabled: true } });

    await s.value('settings.update', { language: 'fr' });
    const fr = await until((x) => x.language === 'fr');
    expect(trayView(fr).tooltip).toBe('Huntaze — Aujourd’hui : $0.00 · Aucun envoi · 3 en pause');
    await s.value('queue.resumeAll', {});
    await until((x) => x.paused === 0);
    follower.stop();
    await follower.settled();
  });

  it('today’s spend and the count of unacknowledged alerts follow the ledger and the acknowledgements', async () => {
    const rig = await startRig();
    const call = (method: string, input: unknown) => rig.services.registry.dispatch(method as never, input as never);
    const { follower, until } = follow(rig.services);
    await until((x) => x.todayMicros === 0 && x.unacknowledgedAlerts === 0);
    await call('costs.setThresholds', { thresholds: [threshold({ amountMicros: 100, levels: [50, 100] })] });
    expect((await call('ai.complete', { ...prompt(), maxOutputTokens: 20 })).ok).toBe(true);
    const spent = await until((x) => (x.todayMicros ?? 0) > 0 && x.unacknowledgedAlerts === 2);
    expect(badgeCount(spent)).toBe(2);
    const list = ((await call('costs.alerts', {})) as { ok: true; value: AlertEntry[] }).value;
    await call('alerts.acknowledge', { id: list[0]!.id });
    expect(badgeCount(await until((x) => x.unacknowledgedAlerts === 1))).toBe(1);
    follower.stop();
    await follower.settled();
  });

  it('words the tray with integer micros, caps the badge, and waits for the first read', () => {
    const s: DesktopState = { ...EMPTY_STATE, todayMicros: 1_234_567, sending: 3, paused: 1, accounts: 2 };
    expect(trayView(s).tooltip).toBe('Huntaze — Today: $1.23 · Sending 3 · 1 paused');
    expect(trayView(EMPTY_STATE).lines[0]).toBe('Today: …');
    expect(badgeCount({ ...EMPTY_STATE, unacknowledgedAlerts: 250 })).toBe(99);
  });
});
