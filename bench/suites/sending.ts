import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { loopLagMonitor } from '../../main/core/lag';
import { type Db, openDatabase } from '../../main/db/open';
import { allowedInWindow, DEFAULT_LIMITS, LAYERS, type LimiterConfig, RateLimiter, type Rule, rulesOf } from '../../main/limits';
import { Accounts } from '../../main/messaging/accounts';
import { SendQueue } from '../../main/messaging/queue';
import { RestrictedWords } from '../../main/messaging/restricted';
import { createOnlyFansHttpTransport } from '../../main/messaging/transports/onlyfans-http';
import { type Clock, systemClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { type Suite, round } from '../harness';

const HOUR_MS = 3_600_000;
/** 20 accounts on 2 operators: the account layer binds, operator and global keep headroom. */
export const SIM_LIMITS: LimiterConfig = {
  account: DEFAULT_LIMITS.account,
  operator: { perMinute: 120, burst: 10 },
  global: { perMinute: 600, burst: 50 },
};

/**
 * Windows that break `count ≤ burst + W / T`, counted by their last grant. (j − g_j/T) − (i − g_i/T) + 1
 * is the count minus W/T for the window [g_i, g_j], so a running minimum makes the check O(n).
 */
export function violatingWindows(times: readonly number[], rule: Pick<Rule, 'intervalMs' | 'burst'>): number {
  let min = Infinity;
  let bad = 0;
  times.forEach((t, j) => {
    const v = j - t / rule.intervalMs;
    if (v < min) min = v;
    if (v - min + 1 > rule.burst + 1e-9) bad++;
  });
  return bad;
}

/**
 * Every account always wants to send: each retries exactly when the limiter says it may, on a
 * clock the simulation moves. Utilization is grants over what the limits allow in [0, horizon]
 * (the least of each layer's burst + ⌊horizon / T⌋ summed over its keys).
 */
export function simulateUtilization(db: Db, accounts = 20, horizonMs = HOUR_MS, limits: LimiterConfig = SIM_LIMITS) {
  let t = 0;
  const clock: Clock = { now: () => Date.UTC(2026, 10, 26) + t, monotonic: () => t };
  const limiter = new RateLimiter(db, clock, limits);
  const keys = Array.from({ length: accounts }, (_, i) => ({ account: `acct${i}`, operator: `op${i % 2}` }));
  const next = keys.map(() => 0);
  const grants = new Map<string, number[]>();
  let granted = 0;
  for (;;) {
    let i = 0;
    for (let k = 1; k < next.length; k++) if (next[k]! < next[i]!) i = k;
    if (next[i]! > horizonMs) break;
    t = next[i]!;
    const d = limiter.tryAcquire(keys[i]!);
    next[i] = t + d.msBeforeNext;
    if (!d.allowed) continue;
    granted++;
    for (const s of d.grant.states) {
      const k = `${s.rule}\0${s.key}`;
      const list = grants.get(k);
      if (list) list.push(t);
      else grants.set(k, [t]);
    }
  }
  const rules = new Map(LAYERS.flatMap((layer) => rulesOf(layer, limits[layer])).map((r) => [r.id, r]));
  let violations = 0;
  for (const [k, times] of grants) violations += violatingWindows(times, rules.get(k.split('\0')[0]!)!);
  const keyCount = { account: accounts, operator: Math.min(2, accounts), global: 1 };
  const allowed = Math.min(...LAYERS.map((layer) => keyCount[layer] * Math.min(...rulesOf(layer, limits[layer]).map((r) => allowedInWindow(r, horizonMs)))));
  return { granted, allowed, utilization: granted / allowed, violations };
}

const ARRIVALS = 100_000;
const ROUNDS = 6;

/** The same limits in rate-limiter-flexible's terms: one RateLimiterMemory per rule. */
function flexibleLimiters(limits: LimiterConfig) {
  return LAYERS.flatMap((layer) =>
    rulesOf(layer, limits[layer]).map((rule) => {
      // Its windows are whole seconds; burst + one window's worth of rate, over the window.
      const duration = Math.max(1, Math.round((rule.intervalMs * rule.burst) / 1000));
      return { layer, limiter: new RateLimiterMemory({ keyPrefix: rule.id, points: Math.max(1, Math.round((duration * 1000) / rule.intervalMs)), duration }) };
    }),
  );
}

async function flexibleRun(arrivals: ReadonlyArray<{ account: string; operator: string }>): Promise<number> {
  const limiters = flexibleLimiters(SIM_LIMITS);
  const start = performance.now();
  for (const a of arrivals) {
    for (const { layer, limiter } of limiters) {
      try {
        await limiter.consume(layer === 'account' ? a.account : layer === 'operator' ? a.operator : '*');
      } catch (err) {
        if (err instanceof RateLimiterRes) break;
        throw err;
      }
    }
  }
  return arrivals.length / ((performance.now() - start) / 1000);
}

function oursRun(db: Db, arrivals: ReadonlyArray<{ account: string; operator: string }>): number {
  const limiter = new RateLimiter(db, systemClock, SIM_LIMITS);
  const start = performance.now();
  for (const a of arrivals) limiter.tryAcquire(a);
  return arrivals.length / ((performance.now() - start) / 1000);
}

const LAG_ACCOUNTS = 20;
const LAG_SENDS = 4_000;
const LAG_KEY = 'sk-bench-loop-lag-0001';
/** How long the loop is watched doing nothing first: the machine's own noise floor, for comparison. */
const IDLE_MS = 2_000;

interface SandboxChild {
  url: string;
  report(): Promise<{ received: number; distinct: number; violations: number }>;
  stop(): Promise<void>;
}

async function startSandboxChild(accounts: string[]): Promise<SandboxChild> {
  const child: ChildProcess = fork(join(import.meta.dirname, '..', 'onlyfans-sandbox-process.ts'), [JSON.stringify({ apiKey: LAG_KEY, accounts })], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const [hello] = (await once(child, 'message')) as [{ url: string }];
  return {
    url: hello.url,
    async report() {
      const answer = once(child, 'message');
      child.send('report');
      return ((await answer) as [{ received: number; distinct: number; violations: number }])[0];
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('stop');
      await exited;
    },
  };
}

/**
 * 20 accounts sending flat out through the real SendQueue in this process, to the sandbox
 * OnlyFans server in another process over loopback (no added latency), while the loop is sampled
 * at 1 ms (main/core/lag.ts, as the app measures itself). Limits are lifted so nothing waits on
 * the limiter: what the loop suffers is the queue's own work, its transactions and the HTTP
 * client. Enqueueing happens before the measurement: a campaign is queued once, then sent for long.
 */
export async function loopLag(dbPath: string) {
  const db = openDatabase(dbPath);
  const ids = Array.from({ length: LAG_ACCOUNTS }, (_, i) => `lag-${i}`);
  const server = await startSandboxChild(ids);
  try {
    const store = new Accounts({ db, clock: systemClock, logger: silentLogger, secrets: null, defaultTransport: 'sandbox' });
    for (const id of ids) {
      await store.create({ name: id, platformAccountId: id, transport: 'sandbox', limits: { perMinute: 60, minSpacingSeconds: 1, burst: 1 }, colour: 'sky' });
    }
    const accounts = await store.list();
    const open = { perMinute: 60_000_000, burst: 1_000_000 };
    const limiter = new RateLimiter(db, systemClock, { account: open, operator: open, global: open });
    const restricted = new RestrictedWords(db, systemClock);
    const transports = new Map(accounts.map((a) => [a.id, createOnlyFansHttpTransport({ baseUrl: server.url, apiKey: LAG_KEY, account: a.platformAccountId })]));
    let ended = 0;
    let notSent = 0;
    let allEnded = () => {};
    const queue = new SendQueue({
      db,
      clock: systemClock,
      logger: silentLogger,
      limiter,
      accounts: () => accounts,
      transportFor: (a) => transports.get(a.id) ?? null,
      restricted: () => restricted,
      operator: () => 'bench',
      // The rows keep the form's limits (their CHECKs stop at 60 a minute); the queue gets these,
      // and no pace margin: nothing here is paced, so a margin would only idle the lanes.
      limitFor: () => ({ perMinute: 60_000_000, burst: 1_000, minSpacingMs: 0 }),
      paceMarginMs: 0,
      onProgress: (changes) => {
        for (const c of changes) {
          if (c.state === 'sent' || c.state === 'failed' || c.state === 'unknown') ended++;
          if (c.state === 'failed' || c.state === 'unknown') notSent++;
        }
        if (ended >= LAG_SENDS) allEnded();
      },
    });
    queue.enqueueMany(
      Array.from({ length: LAG_SENDS }, (_, i) => ({ accountId: accounts[i % LAG_ACCOUNTS]!.id, chatId: `fan-${i}`, text: `bench message ${i}`, jobId: 'bench' })),
    );
    const done = new Promise<void>((resolve) => (allEnded = resolve));

    const monitor = loopLagMonitor();
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idle = monitor.stop()!;

    monitor.start();
    const start = performance.now();
    await queue.start();
    await done;
    const seconds = (performance.now() - start) / 1000;
    const busy = monitor.stop()!;
    await queue.stop();
    const received = await server.report();
    return { busy, idle, sendsPerS: LAG_SENDS / seconds, notSent, received };
  } finally {
    await server.stop();
    db.close();
  }
}

export const sendingSuite: Suite = {
  description: 'Sending: limiter decisions/s vs rate-limiter-flexible, utilization and violations over a simulated hour, event-loop lag while 20 accounts send flat out',
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-'));
    const db = openDatabase(join(dir, 'huntaze.db'));
    try {
      // Deterministic arrivals over 1000 accounts and 50 operators, shared by both limiters.
      let seed = 42;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const arrivals = Array.from({ length: ARRIVALS }, () => ({ account: `acct${Math.floor(rnd() * 1000)}`, operator: `op${Math.floor(rnd() * 50)}` }));
      let ours = 0;
      let theirs = 0;
      for (let r = 0; r < ROUNDS; r++) {
        if (r % 2 === 0) {
          ours += oursRun(db, arrivals);
          theirs += await flexibleRun(arrivals);
        } else {
          theirs += await flexibleRun(arrivals);
          ours += oursRun(db, arrivals);
        }
      }
      report({ name: 'limiter.decisions_ratio', value: round(ours / theirs), unit: 'x', target: '>= 1' });
      report({ name: 'limiter.decisions_per_s', value: Math.round(ours / ROUNDS), unit: '1/s' });
      report({ name: 'limiter.flexible_decisions_per_s', value: Math.round(theirs / ROUNDS), unit: '1/s' });

      const sim = simulateUtilization(db);
      report({ name: 'limiter.utilization', value: round(sim.utilization, 4), unit: 'ratio', target: '>= 0.99' });
      report({ name: 'limiter.violations', value: sim.violations, unit: 'windows', target: '= 0' });

      const lag = await loopLag(join(dir, 'lag.db'));
      report({ name: 'sending.loop_lag_p99_ms', value: round(lag.busy.p99Ms), unit: 'ms', target: '<= 20' });
      report({ name: 'sending.loop_lag_max_ms', value: round(lag.busy.maxMs), unit: 'ms' });
      report({ name: 'sending.idle_loop_lag_p99_ms', value: round(lag.idle.p99Ms), unit: 'ms' });
      report({ name: 'sending.sends_per_s', value: Math.round(lag.sendsPerS), unit: '1/s' });
      if (lag.notSent || lag.received.distinct !== LAG_SENDS || lag.received.received !== LAG_SENDS) {
        process.stdout.write(`# sending: ${lag.notSent} sends not sent; the server holds ${lag.received.received} (${lag.received.distinct} distinct) of ${LAG_SENDS}\n`);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
