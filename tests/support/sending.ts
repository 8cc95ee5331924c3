import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Db, openDatabase } from '../../main/db/open';
import { RateLimiter } from '../../main/limits';
import { Accounts } from '../../main/messaging/accounts';
import { SendQueue, type SendQueueOptions } from '../../main/messaging/queue';
import { RestrictedWords } from '../../main/messaging/restricted';
import { type OnlyFansSandbox, startOnlyFansSandbox } from '../../main/messaging/sandbox/server';
import { createOnlyFansHttpTransport } from '../../main/messaging/transports/onlyfans-http';
import { type Clock, systemClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { type Account, accountCreateSchema } from '../../shared/accounts';
import type { SendProgress } from '../../shared/sending';
import { useTempDirs } from './tmp';

export const SANDBOX_KEY = 'of_test_key_7Yq2';
/** Fast limits so a test of pacing takes a fraction of a second: the pace is the same rule, scaled. */
export const FAST = { perMinute: 600, burst: 1, minSpacingMs: 40 };
/** Generous shared layers: these tests are about the account layer unless they say otherwise. */
export const OPEN_LAYERS = { account: { perMinute: 10, burst: 1, minSpacingMs: 3000 }, operator: { perMinute: 60_000, burst: 100 }, global: { perMinute: 60_000, burst: 100 } };

/**
 * One profile's sending stack as services builds it, on a real SQLite file and the real loopback
 * OnlyFans sandbox, with fast limits. `restart()` is a new process over the same file and server.
 */
export async function sendingStack(dir: string, options: { server?: OnlyFansSandbox; queue?: Partial<SendQueueOptions>; clock?: Clock } = {}) {
  // One clock for the accounts, the limiter and the queue: a test that moves time moves it for all.
  const clock = options.clock ?? systemClock;
  const server = options.server ?? (await startOnlyFansSandbox({ apiKey: SANDBOX_KEY }));
  const dbPath = join(dir, 'sending.db');
  const events: SendProgress[] = [];
  const changes: Array<{ accountId: string | null; jobId: string | null }> = [];
  let listeners: Array<() => void> = [];
  const stack = {
    server,
    db: null as unknown as Db,
    accounts: null as unknown as Accounts,
    queue: null as unknown as SendQueue,
    restricted: null as unknown as RestrictedWords,
    events,
    changes,
    /** Resolves when `test` holds after some progress (checked at once, then on each event). */
    until(test: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!test()) return;
          listeners = listeners.filter((l) => l !== check);
          resolve();
        };
        listeners.push(check);
        check();
      });
    },
    open(extra: Partial<SendQueueOptions> = {}) {
      const db = openDatabase(dbPath);
      const accounts = new Accounts({ db, clock, logger: silentLogger, secrets: null, defaultTransport: 'sandbox' });
      const restricted = new RestrictedWords(db, clock);
      const limiter = new RateLimiter(db, clock, OPEN_LAYERS);
      const queue = new SendQueue({
        db,
        clock,
        logger: silentLogger,
        limiter,
        accounts: () => accounts.list(),
        transportFor: (a: Account) => {
          if (a.transport !== 'sandbox') return null;
          server.setLimits(a.platformAccountId, { perMinute: FAST.perMinute, minIntervalMs: FAST.minSpacingMs });
          return createOnlyFansHttpTransport({ baseUrl: server.url, apiKey: SANDBOX_KEY, account: a.platformAccountId, timeoutMs: 2_000 });
        },
        restricted: () => restricted,
        operator: () => 'tester',
        limitFor: () => FAST,
        paceMarginMs: 10,
        backoff: { baseMs: 20, maxMs: 100 },
        offlineBackoff: { baseMs: 20, maxMs: 100 },
        onProgress: (c) => {
          events.push(...c);
          for (const l of [...listeners]) l();
        },
        onQueueChanged: (s) => {
          changes.push(s);
          for (const l of [...listeners]) l();
        },
        ...options.queue,
        ...extra,
      });
      Object.assign(stack, { db, accounts, queue, restricted });
      return stack;
    },
    async addAccount(platformAccountId: string, transport: 'sandbox' | 'export' = 'sandbox') {
      const a = await stack.accounts.create(accountCreateSchema.parse({ name: platformAccountId, platformAccountId, transport }));
      await stack.queue.refreshAccounts();
      return a;
    },
    /** A new process over the same file (the previous queue is dropped without stop(), as after a kill). */
    restart(extra: Partial<SendQueueOptions> = {}) {
      stack.db.close();
      return stack.open(extra);
    },
    async close() {
      await stack.queue?.stop();
      if (stack.db?.open) stack.db.close();
      if (!options.server) await server.close();
    },
  };
  return stack.open();
}

export type SendingStack = Awaited<ReturnType<typeof sendingStack>>;

/**
 * A test file's stacks: `stack()` builds one in a fresh folder; it and whatever is handed to
 * `defer` (servers, proxies, files) close after each test, latest first, so a stack stops before
 * the server it sends to and before its folder is removed.
 */
export function useSendingStacks() {
  const tempDir = useTempDirs();
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  return {
    tempDir,
    defer: (close: () => unknown) => void cleanup.push(close),
    async stack(options: Parameters<typeof sendingStack>[1] = {}): Promise<SendingStack> {
      const s = await sendingStack(tempDir(), options);
      cleanup.push(() => s.close());
      return s;
    },
  };
}
