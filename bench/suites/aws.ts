import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { openDatabase } from '../../main/db/open';
import { type CostRow, Ledger } from '../../main/ledger/ledger';
import { createOutbox } from '../../main/outbox';
import { systemClock } from '../../main/ports/clock';
import { LedgerSync } from '../../main/sync/ledger-sync';
import { teamResourceNames } from '../../shared/aws';
import { type BenchLine, round, type Suite } from '../harness';
import { teamTableDefinition } from '../../main/aws/keys';

/**
 * The team layer against dynalite on loopback. One function per metric, so part L's
 * `aws.shared_limiter_utilization` joins as another section of `run`.
 */
const ZONE = 'America/New_York';
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

/**
 * Rows in time order, as a ledger writes them (its `seq` follows commits): 100,000 rows span
 * about four weeks, so a day holds a few thousand of them.
 */
const ROW_SPACING_MS = 24_000;

function costRow(i: number): CostRow {
  return {
    id: `${(0x10000000 + i).toString(16)}-0000-7000-8000-000000000000`, requestId: `req-${i}`, attempt: 1,
    ts: Date.UTC(2026, 10, 1) + i * ROW_SPACING_MS, provider: i % 2 ? 'openai' : 'azure', deployment: 'dep',
    baseModel: i % 3 ? 'gpt-4.1' : 'gpt-4o-mini', purpose: 'reply', campaignId: i % 5 ? `cmp-${i % 7}` : null, operatorId: null,
    usage: { inputTokens: 200, cachedInputTokens: 50, outputTokens: 80 }, costMicros: 1_000 + (i % 997), latencyMs: 5, status: 'ok', priceSource: 'table',
  };
}

async function startDynalite(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const child = fork(join(import.meta.dirname, '..', 'dynalite-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const [{ endpoint }] = (await once(child, 'message')) as [{ endpoint: string }];
  return {
    endpoint,
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

async function createTable(client: DynamoDBClient, name: string) {
  await client.send(new CreateTableCommand(teamTableDefinition(name)));
}

/** A seat's database with `rows` cost rows written through the real ledger, 1,000 per group commit. */
async function seatWith(dir: string, rows: number) {
  const db = openDatabase(join(dir, 'huntaze.db'));
  const outbox = createOutbox({ db, clock: systemClock });
  const ledger = new Ledger(db, systemClock, outbox, { timeZone: ZONE });
  for (let i = 0; i < rows; i += 1_000) await Promise.all(Array.from({ length: Math.min(1_000, rows - i) }, (_, j) => ledger.record(costRow(i + j))));
  ledger.settle();
  return { db, outbox, ledger };
}

/** Our sync of `rows` ledger rows vs single PutItem calls, same dynalite, rounds alternating which goes first. */
async function syncRatio(endpoint: string, dir: string, report: (line: BenchLine) => void) {
  const rows = arg('rows', 100_000);
  const sample = Math.min(rows, arg('sample', 5_000));
  const rounds = arg('rounds', 3);
  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
  const names = teamResourceNames('huntaze');
  await createTable(client, names.costsTable);
  await createTable(client, 'baseline');
  const { db, outbox, ledger } = await seatWith(dir, rows);
  const connection = { settings: null as never, names, seatId: 'bench-seat', dynamo: client, sns: null as never };
  const sync = new LedgerSync({ db, ledger: () => ledger, connect: async () => connection, enabled: () => true, operator: () => 'Bench', clock: systemClock });
  const relay = outbox.relay([sync.consumer()]);
  const requeue = db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = 0, delivered_at = NULL, attempts = 0 WHERE topic = 'ai_cost'`);
  const ours = async () => {
    requeue.run();
    const start = performance.now();
    while ((await relay.runOnce()).delivered > 0);
    return (performance.now() - start) / rows;
  };
  const singles = async () => {
    const start = performance.now();
    for (let i = 0; i < sample; i++) {
      const r = costRow(i);
      await client.send(new PutItemCommand({ TableName: 'baseline', Item: marshall({ pk: 'ROW#2026-11-01', sk: r.id, seat: 'bench-seat', ts: r.ts, provider: r.provider, model: r.baseModel, costMicros: r.costMicros, inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens }) }));
    }
    return (performance.now() - start) / sample;
  };
  const perRow: { ours: number[]; singles: number[] } = { ours: [], singles: [] };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      perRow.ours.push(await ours());
      perRow.singles.push(await singles());
    } else {
      perRow.singles.push(await singles());
      perRow.ours.push(await ours());
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  if (sample < rows) process.stdout.write(`# aws.sync_ratio: single PutItem timed on a sample of ${sample} rows per round, scaled to ${rows} (per-row time); our sync timed on all ${rows}\n`);
  process.stdout.write(`# aws.sync_ratio: median per row over ${rounds} rounds: ours ${round(median(perRow.ours), 4)} ms, single puts ${round(median(perRow.singles), 4)} ms\n`);
  report({ name: 'aws.sync_ratio', value: round(median(perRow.singles) / median(perRow.ours)), unit: 'x', target: '>= 10' });
  db.close();
  client.destroy();
}

/** Peak RSS of a process syncing from a backlog of `backlog` rows, over a bounded number of passes. */
async function syncPeakRss(endpoint: string, dir: string, report: (line: BenchLine) => void) {
  const backlog = arg('backlog', 1_000_000);
  const passes = arg('passes', 2);
  const measure = async (rows: number, sub: string) => {
    mkdirSync(join(dir, sub));
    const { db } = await seatWith(join(dir, sub), rows);
    db.close();
    const child = fork(join(import.meta.dirname, '..', 'aws-sync-process.ts'), [JSON.stringify({ dbPath: join(dir, sub, 'huntaze.db'), endpoint, zone: ZONE, passes })], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    const [answer] = (await once(child, 'message')) as [{ maxRssKb: number; backlogBefore: number; backlogAfter: number; syncedRows: number }];
    await once(child, 'exit');
    process.stdout.write(`# aws.sync_peak_rss_mb: backlog ${answer.backlogBefore} rows, ${passes} passes synced ${answer.syncedRows}, ${answer.backlogAfter} still waiting, peak RSS ${round(answer.maxRssKb / 1024, 1)} MB\n`);
    return answer.maxRssKb / 1024;
  };
  // The same passes from a backlog ten times smaller: equal figures mean memory follows the pass, not the backlog.
  await measure(Math.max(1, Math.floor(backlog / 10)), 'small');
  const peak = await measure(backlog, 'large');
  report({ name: 'aws.sync_peak_rss_mb', value: round(peak, 1), unit: 'MB', target: 'bounded: about the same as from a backlog ten times smaller (2,000 ledger rows held per read)' });
}

export const awsSuite: Suite = {
  description: 'Team layer on dynalite: ledger sync vs single PutItem calls, peak RSS syncing from a 1,000,000-row backlog',
  async run(report) {
    const dynamo = await startDynalite();
    const dirs = [mkdtempSync(join(tmpdir(), 'huntaze-aws-')), mkdtempSync(join(tmpdir(), 'huntaze-aws-'))];
    try {
      await syncRatio(dynamo.endpoint, dirs[0]!, report);
      await syncPeakRss(dynamo.endpoint, dirs[1]!, report);
    } finally {
      await dynamo.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  },
};
