import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { alertMessages } from '../../../main/alerts/consumers';
import { notice } from '../../../main/alerts/render';
import { transaction } from '../../../main/db/tx';
import { manualClock } from '../../../main/ports/clock';
import { createServices } from '../../../main/services';
import { startWebHost } from '../../../main/web/server';
import { ALERT_TOPICS } from '../../../shared/alerts';
import { recordingLogger } from '../../support/ai';
import { sampleAlert } from '../../support/alerts';
import { NOW } from '../../support/outbox';
import { useTempDirs } from '../../support/tmp';

describe('OS notifications under the browser host', () => {
  const tempDir = useTempDirs();

  async function open() {
    const clock = manualClock(NOW);
    const logger = recordingLogger();
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger, clock, secrets: { keychain: null, legacy: { keytar: null } } });
    const host = await startWebHost({ services, rendererDir: tempDir(), port: 0, logger });
    const sockets: WebSocket[] = [];
    const page = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
      sockets.push(ws);
      const frames: { type: string; event?: string; payload?: unknown }[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(String(d))));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return { ws, fired: () => frames.filter((f) => f.event === 'alert.fired').map((f) => f.payload) };
    };
    const close = async () => {
      for (const ws of sockets) ws.terminate();
      await host.close();
      await services.close();
    };
    return { clock, services, host, page, close };
  }

  it('tells nobody when no page is open: the outbox keeps the delivery and hands it to the page that opens later', async () => {
    const { clock, services, page, close } = await open();
    try {
      expect(await services.registry.dispatch('alerts.test', { channel: 'os' })).toMatchObject({ ok: true, value: { ok: false, code: 'no_notifier' } });

      const alert = sampleAlert({ id: 'unseen-1' });
      transaction(services.db, (tx) => alertMessages(alert, ['os'], 'live').forEach((m) => services.outbox.enqueue(tx, m)))();
      const row = () =>
        services.db.prepare('SELECT state, attempts, last_error FROM outbox WHERE topic = ? AND key = ?').get(ALERT_TOPICS.os, alert.id) as
          | { state: string; attempts: number; last_error: string | null }
          | undefined;
      services.profile.relay.wake();
      await expect.poll(() => row()).toEqual({ state: 'pending', attempts: 1, last_error: 'no_notifier: no window could show the notification' });

      const tab = await page();
      // Past the longest backoff: the retry is due, and this time a page hears it.
      clock.advance(11 * 60_000);
      services.profile.relay.wake();
      await expect.poll(() => row()?.state).toBe('delivered');
      await expect.poll(() => tab.fired()).toEqual([notice(alert)]);
    } finally {
      await close();
    }
  });

  it('shows a notice on every open page through the host, and answers false once they have all gone', async () => {
    const { host, page, close } = await open();
    try {
      const n = notice(sampleAlert({ id: 'host-1' }));
      expect(host.notify(n)).toBe(false);
      const [a, b] = [await page(), await page()];
      expect(host.notify(n)).toBe(true);
      await expect.poll(() => [a.fired(), b.fired()]).toEqual([[n], [n]]);
      for (const { ws } of [a, b]) {
        const closed = new Promise((resolve) => ws.once('close', resolve));
        ws.close();
        await closed;
      }
      await expect.poll(() => host.notify(n)).toBe(false);
    } finally {
      await close();
    }
  });
});
