import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterEach } from 'vitest';
import { SECRET_NAMES } from '../../main/alerts/channels';
import { TeamAws } from '../../main/aws/clients';
import { TeamAwsStore } from '../../main/aws/settings';
import type { Db } from '../../main/db/open';
import { type CostRow, Ledger } from '../../main/ledger/ledger';
import { createOutbox, type Outbox, type OutboxRelay } from '../../main/outbox';
import type { RelayTimers } from '../../main/outbox/relay';
import { manualClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { LedgerSync } from '../../main/sync/ledger-sync';
import { DEFAULT_TEAM_AWS_SETTINGS } from '../../shared/aws';
import { silentKeychain, useSecretStores } from './secrets';
import { type LedgerRow, ledgerRowsItemSchema } from '../../main/aws/items';
import { teamTableDefinition } from '../../main/aws/keys';

export const SYNC_NOW = Date.UTC(2026, 10, 26, 12);
export const ZONE = 'America/New_York';
const KEYS = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export interface Seat {
  dataDir: string;
  db: Db;
  clock: ReturnType<typeof manualClock>;
  outbox: Outbox;
  ledger: Ledger;
  store: TeamAwsStore;
  sync: LedgerSync;
  relay: OutboxRelay;
  /** Writes `n` cost rows over a few local days (spanning a month end) through the real ledger. */
  record(n: number): Promise<void>;
  /** Runs relay passes, moving the clock past the sync backoff between them, until nothing waits or `maxPasses`. */
  drain(maxPasses?: number): Promise<number>;
  localMicros(): number;
  localRows(): number;
}

/** Creates the costs table as provisioning would (pk/sk strings, on demand). */
export async function createCostsTable(endpoint: string, table = 'huntaze-ai-costs'): Promise<void> {
  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: KEYS.id, secretAccessKey: KEYS.secret } });
  try {
    await client.send(
      new CreateTableCommand(teamTableDefinition(table)),
    );
  } finally {
    client.destroy();
  }
}

/** Every item of the table, read straight from dynalite. */
export async function scanAll(endpoint: string, table = 'huntaze-ai-costs'): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: KEYS.id, secretAccessKey: KEYS.secret } });
  try {
    const out: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client }, { TableName: table })) for (const item of page.Items ?? []) out.push(unmarshall(item));
    return out;
  } finally {
    client.destroy();
  }
}

/** The team's figures as a reader of the table would compute them: the sum of every seat's aggregate items. */
export function teamTotals(items: Record<string, unknown>[]) {
  const sum = (prefix: string) => items.filter((i) => String(i.pk).startsWith(prefix)).reduce((s, i) => s + Number(i.costMicros), 0);
  const rows = ledgerRows(items);
  return { dayMicros: sum('AGG#day#'), monthMicros: sum('AGG#month#'), rowMicros: rows.reduce((s, r) => s + r.costMicros, 0), rows: rows.length };
}

/** The ledger rows the table holds, out of their block items (each parsed as any reader would). */
export function ledgerRows(items: Record<string, unknown>[]): LedgerRow[] {
  return items.filter((i) => String(i.pk).startsWith('ROW#')).flatMap((i) => ledgerRowsItemSchema.parse(i).rows);
}

const PROVIDERS: Array<[CostRow['provider'], string]> = [['openai', 'gpt-4.1'], ['azure', 'gpt-4o'], ['openai', 'o4-mini']];

/** Seats over real SQLite files with their own seat ids; relays stopped and clients closed after each test. */
export function useSyncSeats() {
  const stores = useSecretStores();
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  let counter = 0;
  return async (endpoint: string, options: { enabled?: boolean; timers?: RelayTimers; sleep?: (ms: number) => Promise<void> } = {}): Promise<Seat> => {
    const dataDir = stores.tempDir();
    const { store: secrets, db } = await stores.open(dataDir, { keychain: silentKeychain() });
    await secrets.set(SECRET_NAMES.accessKeyId, KEYS.id);
    await secrets.set(SECRET_NAMES.secretAccessKey, KEYS.secret);
    const clock = manualClock(SYNC_NOW);
    const outbox = createOutbox({ db, clock });
    const ledger = new Ledger(db, clock, outbox, { timeZone: ZONE });
    const store = new TeamAwsStore(db, clock, silentLogger);
    store.set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: options.enabled ?? true, region: 'eu-west-1', endpoint });
    const aws = new TeamAws(store, secrets);
    let relay: OutboxRelay | null = null;
    const sync = new LedgerSync({
      db,
      ledger: () => ledger,
      connect: () => aws.connect(),
      enabled: () => store.get().enabled,
      operator: () => 'Operator',
      clock,
      writer: { sleep: options.sleep ?? (async () => undefined), random: () => 0.5 },
      readChunk: 40,
      wake: () => relay?.wake(),
    });
    relay = outbox.relay([sync.consumer()], { random: () => 0.5, retentionMs: 24 * 60 * 60_000, ...(options.timers ? { timers: options.timers } : {}) });
    const r = relay;
    cleanups.push(async () => {
      await r.stop();
      aws.close();
    });
    const seat = ++counter;
    let n = 0;
    return {
      dataDir, db, clock, outbox, ledger, store, sync, relay: r,
      async record(count) {
        const rows: Promise<void>[] = [];
        for (let i = 0; i < count; i++) {
          n++;
          const [provider, model] = PROVIDERS[(n + seat) % PROVIDERS.length]!;
          rows.push(
            ledger.record({
              id: randomUUID(), requestId: `req-${seat}-${n}`, attempt: 1,
              // Four days back from noon UTC, every 7 h: both sides of New York's midnight and of a month end.
              ts: Date.UTC(2026, 11, 1, 12) - (n % 14) * 7 * 3_600_000, provider, deployment: 'dep', baseModel: model,
              purpose: 'reply', campaignId: n % 3 === 0 ? null : `cmp-${n % 3}`, operatorId: null,
              usage: { inputTokens: 100 + n, cachedInputTokens: n % 50, outputTokens: 20 }, costMicros: 1_000 + ((n * 7_919) % 90_001),
              latencyMs: 5, status: 'ok', priceSource: 'table',
            }),
          );
          // Several group commits, so the outbox holds several ranges.
          if (i % 17 === 16) await Promise.all(rows.splice(0));
        }
        await Promise.all(rows);
      },
      async drain(maxPasses = 50) {
        let passes = 0;
        while (passes < maxPasses && sync.status().backlogRows > 0) {
          await r.runOnce();
          passes++;
          clock.advance(61_000);
        }
        return passes;
      },
      localMicros: () => db.prepare('SELECT COALESCE(SUM(cost_micros), 0) FROM ai_costs').pluck().get() as number,
      localRows: () => db.prepare('SELECT COUNT(*) FROM ai_costs').pluck().get() as number,
    };
  };
}
