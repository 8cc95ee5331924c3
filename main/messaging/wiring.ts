/**
 * One profile's messaging: its accounts, restricted words, rate limiter and send queue, and in
 * the Sandbox profile the loopback OnlyFans server its demo creators send to. Built when the
 * profile opens and closed before its database closes. Sandbox and live never mix: in the live
 * profile a `sandbox` account has no transport (its sends fail `not_configured`), and in the
 * Sandbox an HTTP account has no key (no real keys in test mode), so it cannot reach a platform.
 */
import { randomBytes } from 'node:crypto';
import type { Account } from '../../shared/accounts';
import type { SendProgress } from '../../shared/sending';
import type { Db } from '../db/open';
import { DEFAULT_LIMITS, RateLimiter } from '../limits';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { SecretStore } from '../secrets';
import { Accounts } from './accounts';
import { SendQueue } from './queue';
import type { SharedAccountBudget } from './queue/options';
import { RestrictedWords } from './restricted';
import type { OnlyFansSandbox } from './sandbox/server';
import type { MessagingTransport } from './transport';
import { createOnlyFansHttpTransport } from './transports/onlyfans-http';

export interface Messaging {
  accounts: Accounts;
  restricted: RestrictedWords;
  limiter: RateLimiter;
  queue: SendQueue;
  /** The Sandbox profile's OnlyFans server; null in the live profile. */
  onlyFansSandbox: OnlyFansSandbox | null;
  /** The account's platform transport as the queue gets it; null for export accounts and missing keys. */
  transportFor(account: Account): Promise<MessagingTransport | null>;
  close(): Promise<void>;
}

/** What services hands every profile: who the operator is and who hears about sends. */
export interface SendingHooks {
  operator?: () => string;
  /** The team's shared rate budget: handed to the live profile only. */
  shared?: SharedAccountBudget;
  onProgress?: (changes: SendProgress[]) => void;
  onQueueChanged?: (scope: { accountId: string | null; jobId: string | null }) => void;
}

export interface OpenMessagingOptions extends SendingHooks {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The live SecretStore; null for the Sandbox, whose accounts hold no real keys. */
  secrets: SecretStore | null;
}

/** Loaded on demand like the AI sandbox: the OnlyFans server is not part of a live start. */
export async function startOnlyFansForSandbox(clock: Clock): Promise<{ server: OnlyFansSandbox; apiKey: string }> {
  const { startOnlyFansSandbox } = await import('./sandbox/server');
  // A fresh key per run: nothing outside this process can talk to the server.
  const apiKey = randomBytes(24).toString('base64url');
  return { server: await startOnlyFansSandbox({ apiKey, clock }), apiKey };
}

export function openMessaging(options: OpenMessagingOptions & { onlyFansSandbox: { server: OnlyFansSandbox; apiKey: string } | null }): Messaging {
  const { db, clock, logger, secrets } = options;
  const sandbox = options.onlyFansSandbox;
  const accounts = new Accounts({ db, clock, logger, secrets, defaultTransport: sandbox ? 'sandbox' : 'export' });
  const restricted = new RestrictedWords(db, clock);
  const limiter = new RateLimiter(db, clock, DEFAULT_LIMITS);

  async function transportFor(account: Account): Promise<MessagingTransport | null> {
    if (account.transport === 'sandbox') {
      if (!sandbox) return null;
      // The server judges pace by the account's limits as configured (burst included).
      sandbox.server.setLimits(account.platformAccountId, {
        perMinute: account.limits.perMinute + account.limits.burst - 1,
        minIntervalMs: account.limits.minSpacingSeconds * 1000,
      });
      return createOnlyFansHttpTransport({ baseUrl: sandbox.server.url, apiKey: sandbox.apiKey, account: account.platformAccountId, clock, logger });
    }
    if (account.transport !== 'onlyfans_http' || !account.baseUrl) return null;
    const apiKey = await accounts.apiKey(account.id).catch(() => undefined);
    if (!apiKey) return null;
    return createOnlyFansHttpTransport({ baseUrl: account.baseUrl, apiKey, account: account.platformAccountId, clock, logger });
  }

  const queue = new SendQueue({
    db,
    clock,
    logger,
    limiter,
    accounts: () => accounts.list(),
    transportFor,
    restricted: () => restricted,
    operator: () => options.operator?.() || 'local',
    shared: options.shared,
    onProgress: options.onProgress,
    onQueueChanged: options.onQueueChanged,
    // The API's own word on its plan tightens the limiter (the sandbox reports one too).
    planLimits: { base: DEFAULT_LIMITS },
  });
  queue.start().catch((err: unknown) => logger.error('sends: the queue did not start', { error: String(err) }));

  return {
    accounts,
    restricted,
    limiter,
    queue,
    onlyFansSandbox: sandbox?.server ?? null,
    transportFor,
    async close() {
      await queue.stop();
    },
  };
}
