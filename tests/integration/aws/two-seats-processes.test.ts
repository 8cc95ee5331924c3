import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamAwsStore } from '../../../main/aws/settings';
import { type CoreClient, connectCore } from '../../../main/core/client';
import { forkCore, type ForkedCore } from '../../../main/core/links';
import { openDatabase } from '../../../main/db/open';
import { startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { DB_FILE } from '../../../main/paths';
import { systemClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../../shared/aws';
import { accountSchema } from '../../../shared/accounts';
import { accountSendStatsSchema, type SendProgress } from '../../../shared/sending';
import { z } from 'zod';
import { recordingLogger } from '../../support/ai';
import { CORE_ENTRY_TS } from '../../support/core-process';
import { useDynalite } from '../../support/dynalite';
import { createCostsTable, dynamoClient } from '../../support/shared-limiter-sim';
import { useTempDirs } from '../../support/tmp';

const API_KEY = 'of_live_key_two_seats_9Kd';
const CREATOR = 'creator-shared';
/**
 * The live queue paces an account to the plan the API reports, and the sandbox reports the
 * platform's 10 a minute, 3 s apart, whatever the account is configured to: ~6.2 s a message
 * with the pace margin, so a handful per seat keeps the test under a minute.
 */
const PER_SEAT = 3;
const PREFIX = 'twoseats';

/** A call's value across the process boundary, or a failure naming the call. */
async function call(core: CoreClient, method: string, input: unknown): Promise<unknown> {
  const r = (await core.invoke(method as never, input as never)) as { ok: true; value: unknown } | { ok: false; error: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('two seats, one creator account: two app processes, their own data folders, one sandbox OnlyFans server, dynalite', () => {
  const tempDir = useTempDirs();
  const startDynalite = useDynalite();
  const cores: Array<{ core: CoreClient; forked: ForkedCore }> = [];
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const { core, forked } of cores.splice(0)) {
      forked.kill();
      await core.exited;
    }
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('both seats send and the platform records no violation of the account’s limits', { timeout: 120_000 }, async () => {
    const { endpoint } = await startDynalite();
    const admin = dynamoClient(endpoint);
    closers.push(async () => admin.destroy());
    await createCostsTable(admin, PREFIX);
    const server = await startOnlyFansSandbox({ apiKey: API_KEY });
    closers.push(() => server.close());
    // The platform's own pace (the default), judged at arrival.
    server.setLimits(CREATOR, { perMinute: 10, minIntervalMs: 3_000 });

    const seats = ['a', 'b'].map((name) => {
      const dataDir = tempDir();
      // The team settings as the Team page saves them; the keys come from the environment ('default' chain).
      const db = openDatabase(join(dataDir, DB_FILE));
      new TeamAwsStore(db, systemClock, silentLogger).set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint, prefix: PREFIX, credentials: 'default' });
      db.close();
      const forked = forkCore({
        entry: CORE_ENTRY_TS,
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'seat-test-secret' },
      });
      const core = connectCore(forked, { dataDir, host: 'web', echoLogs: false }, { logger: recordingLogger() });
      cores.push({ core, forked });
      const sent = new Set<string>();
      let onSent = () => undefined as void;
      const allSent = new Promise<void>((resolve) => (onSent = () => sent.size >= PER_SEAT && resolve()));
      core.events.subscribe((event, payload) => {
        if (event !== 'sends.progress') return;
        for (const p of (payload as { sends: SendProgress[] }).sends) if (p.state === 'sent') sent.add(p.id);
        onSent();
      });
      return { name, core, allSent, accountId: undefined as string | undefined };
    });
    await Promise.all(seats.map((s) => s.core.ready));

    for (const seat of seats) {
      const account = await call(seat.core, 'accounts.create', {
        name: `Creator (${seat.name})`,
        platformAccountId: CREATOR,
        transport: 'onlyfans_http',
        baseUrl: server.url,
        apiKey: API_KEY,
        limits: { perMinute: 10, minSpacingSeconds: 3, burst: 1 },
      });
      seat.accountId = accountSchema.parse(account).id;
    }
    for (const seat of seats) {
      for (let i = 0; i < PER_SEAT; i++) {
        await call(seat.core, 'onlyfans.sendMessage', { accountId: seat.accountId, chatId: 'fan-1', text: `seat ${seat.name} #${i}` });
      }
    }
    await Promise.all(seats.map((s) => s.allSent));

    const texts = server.messages(CREATOR).map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('seat a'))).toHaveLength(PER_SEAT);
    expect(texts.filter((t) => t.startsWith('seat b'))).toHaveLength(PER_SEAT);
    expect(server.violations()).toEqual([]);
    // Each seat's queue shows the account as shared; the seat that leased after the other counts both.
    const shared = [];
    for (const seat of seats) {
      const stats = z.array(accountSendStatsSchema).parse(await call(seat.core, 'onlyfans.stats', { accountId: seat.accountId }));
      shared.push(stats[0]?.shared);
    }
    expect(shared.map((x) => x?.mode)).toEqual(['shared', 'shared']);
    expect(Math.max(...shared.map((x) => x?.seats ?? 0))).toBe(2);
  });
});
