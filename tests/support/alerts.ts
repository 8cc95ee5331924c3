import { join } from 'node:path';
import { afterEach } from 'vitest';
import { AlertChannels } from '../../main/alerts/channels';
import { type Db, openDatabase } from '../../main/db/open';
import { transaction } from '../../main/db/tx';
import { createOutbox, type Outbox, type OutboxMessage, type OutboxRelay } from '../../main/outbox';
import { manualClock } from '../../main/ports/clock';
import type { Notice, Notifier } from '../../main/ports/notifier';
import { openSecretStore, type SecretStore } from '../../main/secrets';
import type { AlertMessage } from '../../shared/alerts';
import { type RecordingLogger, recordingLogger } from './ai';
import { NOW } from './outbox';
import { useTempDirs } from './tmp';

export function sampleAlert(overrides: Partial<AlertMessage> = {}): AlertMessage {
  const id = overrides.id ?? 'budget-global-month-2026-11-80';
  return {
    id,
    level: 'warning',
    kind: 'threshold',
    threshold: { scope: 'campaign', target: 'c-42', label: 'Black Friday', percent: 80 },
    period: { unit: 'month', key: '2026-11', label: 'November 2026' },
    amountMicros: 812_345_678,
    budgetMicros: 1_000_000_000,
    firedAt: NOW,
    path: `/alerts/${id}`,
    ...overrides,
  };
}

export interface RecordingNotifier extends Notifier {
  shown: Notice[];
  /** What the next calls answer; true (shown) by default. */
  answer: boolean;
}

export function recordingNotifier(): RecordingNotifier {
  const n: RecordingNotifier = {
    shown: [],
    answer: true,
    async notify(notice) {
      if (n.answer) n.shown.push(notice);
      return n.answer;
    },
  };
  return n;
}

export interface AlertsRig {
  dataDir: string;
  db: Db;
  clock: ReturnType<typeof manualClock>;
  logger: RecordingLogger;
  outbox: Outbox;
  secrets: SecretStore;
  notifier: RecordingNotifier;
  channels: AlertChannels;
  relay: OutboxRelay;
  enqueue(...messages: OutboxMessage[]): boolean[];
  row(topic: string, key: string): { state: string; attempts: number; last_error: string | null; next_attempt_at: number } | undefined;
}

/**
 * The alert channels over a real SQLite file, the real secret store (its data key in a key file:
 * no keychain needed) and a relay driven by `runOnce` under a manual clock. Closed after each test.
 */
export function useAlertsRig(): (options?: { allowLoopbackWebhook?: boolean }) => Promise<AlertsRig> {
  const tempDir = useTempDirs();
  const open: { db: Db; relay: OutboxRelay; channels: AlertChannels }[] = [];
  afterEach(async () => {
    for (const { db, relay, channels } of open.splice(0)) {
      channels.close();
      await relay.stop();
      db.close();
    }
  });
  return async ({ allowLoopbackWebhook = true } = {}) => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'huntaze.db'));
    const clock = manualClock(NOW);
    const logger = recordingLogger();
    const outbox = createOutbox({ db, clock, logger });
    const secrets = await openSecretStore({ db, dataDir, clock, logger, keychain: null, legacy: { keytar: null } });
    const notifier = recordingNotifier();
    const channels = new AlertChannels({ db, outbox: () => outbox, secrets, clock, logger, notifier, allowLoopbackWebhook });
    // Jitter pinned to the cap: each retry waits exactly the backoff's ceiling, so the test can step to it.
    const relay = outbox.relay(channels.consumers(), { random: () => 1 - Number.EPSILON });
    open.push({ db, relay, channels });
    const enqueueAll = transaction(db, (tx, messages: OutboxMessage[]) => messages.map((m) => outbox.enqueue(tx, m)));
    const row = (topic: string, key: string) =>
      db.prepare('SELECT state, attempts, last_error, next_attempt_at FROM outbox WHERE topic = ? AND key = ?').get(topic, key) as ReturnType<AlertsRig['row']>;
    return { dataDir, db, clock, logger, outbox, secrets, notifier, channels, relay, enqueue: (...m) => enqueueAll(m), row };
  };
}
