/**
 * The child process of the crash test (tests/integration/messaging/crash.test.ts): it opens the
 * profile database the normal way, makes sure its accounts exist, enqueues every message under an
 * idempotency key (so each restart re-enqueues nothing new), runs the real SendQueue against the
 * sandbox OnlyFans server and exits 0 once every send is `sent`. The parent kills it with SIGKILL
 * at chosen points; what it prints on stdout is how the parent chooses them.
 *
 * stdout, one JSON object per line:
 *   {"t":"ready"}                         accounts and sends are in the database, the queue starts
 *   {"t":"call","ref":…}                  just BEFORE the transport is asked to send
 *   {"t":"lookup","ref":…}                just before the transport is asked whether a send exists
 *   {"t":"moved","id":…,"state":…,"reason":…}  after a commit that moved a send
 *   {"t":"done"}                          every send is sent; the process exits 0 next
 *   {"t":"stuck","states":{…}}            nothing is queued or in flight, yet not all are sent; exits 3
 * Writes to a pipe are synchronous on Linux, so a line is out before the call it announces.
 */
import { openDatabase } from '../../main/db/open';
import { RateLimiter } from '../../main/limits';
import { Accounts } from '../../main/messaging/accounts';
import { SendQueue } from '../../main/messaging/queue';
import { RestrictedWords } from '../../main/messaging/restricted';
import type { MessagingTransport } from '../../main/messaging/transport';
import { createOnlyFansHttpTransport } from '../../main/messaging/transports/onlyfans-http';
import { systemClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';

export interface CrashSenderConfig {
  dbPath: string;
  baseUrl: string;
  apiKey: string;
  /** Platform account ids, one creator account each. */
  accounts: string[];
  messages: number;
  /** The pace both the limiter and the sandbox server hold every account to. */
  perMinute: number;
  jobId: string;
}

const message = (i: number) => ({ chatId: `fan-${i}`, text: `crash message ${i}`, idempotencyKey: `crash-${i}` });

function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

/** The real HTTP transport, announcing each call on stdout first. */
function announced(inner: MessagingTransport): MessagingTransport {
  return {
    kind: inner.kind,
    send(message, signal) {
      emit({ t: 'call', ref: message.clientRef });
      return inner.send(message, signal);
    },
    lookup(clientRef, signal) {
      emit({ t: 'lookup', ref: clientRef });
      return inner.lookup(clientRef, signal);
    },
    test: (signal) => inner.test(signal),
  };
}

async function main(config: CrashSenderConfig): Promise<number> {
  const db = openDatabase(config.dbPath);
  const accounts = new Accounts({ db, clock: systemClock, logger: silentLogger, secrets: null, defaultTransport: 'sandbox' });
  const existing = new Set((await accounts.list()).map((a) => a.platformAccountId));
  for (const id of config.accounts) {
    if (existing.has(id)) continue;
    // The stored limits are the form's (the table's CHECKs stop at 60 a minute); the fast pace
    // this test runs at goes to the queue through `limitFor`.
    await accounts.create({ name: id, platformAccountId: id, transport: 'sandbox', limits: { perMinute: 60, minSpacingSeconds: 1, burst: 1 }, colour: 'sky' });
  }
  const list = (await accounts.list()).filter((a) => config.accounts.includes(a.platformAccountId));
  const byPlatform = new Map(list.map((a) => [a.platformAccountId, a]));

  const limiter = new RateLimiter(db, systemClock, {
    account: { perMinute: config.perMinute, burst: 1 },
    // The account layer binds; the operator and global layers are kept out of the way.
    operator: { perMinute: 1_000_000, burst: 1_000 },
    global: { perMinute: 1_000_000, burst: 1_000 },
  });
  const restricted = new RestrictedWords(db, systemClock);
  const transports = new Map<string, MessagingTransport>();
  // Replaced once the wait for the end is set up; progress before that (reconciliation) has nothing to tell.
  let settled = () => {};
  const queue = new SendQueue({
    db,
    clock: systemClock,
    logger: silentLogger,
    limiter,
    accounts: () => list,
    transportFor: (account) => {
      let t = transports.get(account.id);
      if (!t) {
        t = announced(createOnlyFansHttpTransport({ baseUrl: config.baseUrl, apiKey: config.apiKey, account: account.platformAccountId }));
        transports.set(account.id, t);
      }
      return t;
    },
    restricted: () => restricted,
    operator: () => 'crash-operator',
    // The same pace the sandbox server judges; the queue's default pace margin stays as it ships.
    limitFor: () => ({ perMinute: config.perMinute, burst: 1, minSpacingMs: 0 }),
    onProgress: (changes) => {
      for (const c of changes) emit({ t: 'moved', id: c.id, state: c.state, reason: c.reason });
      settled();
    },
  });

  const requests = Array.from({ length: config.messages }, (_, i) => ({
    accountId: byPlatform.get(config.accounts[i % config.accounts.length]!)!.id,
    jobId: config.jobId,
    ...message(i),
  }));
  queue.enqueueMany(requests);
  emit({ t: 'ready' });

  const counts = () => {
    const rows = db.prepare<[string], { state: string; n: number }>('SELECT state, count(*) AS n FROM sends WHERE job_id = ? GROUP BY state').all(config.jobId);
    return Object.fromEntries(rows.map((r) => [r.state, r.n])) as Record<string, number>;
  };
  // Checked after every commit that moved a send: either all went out, or nothing is left that
  // could still go (failed, unknown or cancelled sends wait for an operator who is not coming).
  const outcome = new Promise<'done' | Record<string, number>>((resolve) => {
    settled = () => {
      const c = counts();
      if ((c.sent ?? 0) === config.messages) resolve('done');
      else if (!c.queued && !c.sending) resolve(c);
    };
  });
  await queue.start();
  settled();
  const end = await outcome;
  await queue.stop();
  db.close();
  if (end !== 'done') {
    emit({ t: 'stuck', states: end });
    return 3;
  }
  emit({ t: 'done' });
  return 0;
}

main(JSON.parse(process.argv[2] ?? '{}') as CrashSenderConfig).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`crash-sender: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
