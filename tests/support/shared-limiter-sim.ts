/**
 * Several seats sending for one account through SharedRateBudgets on one real DynamoDB
 * (dynalite), on simulated time: each seat's clock is the true time plus its own skew, each send
 * arrives after its own delay, and the sandbox's MessageBook judges the arrivals. Seats due at
 * the same instant run concurrently, so their conditional writes really collide.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { TeamConnection } from '../../main/aws/clients';
import { type SharedBudgetOptions, type SharedCheck, type SharedLimit, SharedRateBudget } from '../../main/aws/rate-budget';
import { type Db, openDatabase } from '../../main/db/open';
import { MessageBook } from '../../main/messaging/sandbox/book';
import type { Clock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS, teamResourceNames } from '../../shared/aws';
import { teamTableDefinition } from '../../main/aws/keys';

export const ACCOUNT = 'acct-shared';

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'test-secret' } });
}

export async function createCostsTable(dynamo: DynamoDBClient, prefix: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand(teamTableDefinition(teamResourceNames(prefix).costsTable)),
  );
}

export function connectionFor(endpoint: string, prefix: string, seatId: string, dynamo = dynamoClient(endpoint)): TeamConnection {
  return {
    settings: { ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', endpoint, prefix },
    names: teamResourceNames(prefix),
    seatId,
    dynamo,
    sns: new SNSClient({ region: 'eu-west-1', endpoint }),
  };
}

export interface SimOptions {
  endpoint: string;
  prefix: string;
  limit: SharedLimit;
  durationMs: number;
  /** Per seat: its clock's offset from the true time (ms). */
  skews: number[];
  /** A send's delay from grant to arrival, per seat and send (ms, ≤ arrivalSlackMs). */
  delay: (seat: number) => number;
  /** How late a seat acts after the moment it was told to (ms; beyond lateMs it only wastes slots). */
  lateness: (seat: number) => number;
  budget: SharedBudgetOptions;
}

export interface SimResult {
  sent: number;
  perSeat: number[];
  violations: ReturnType<MessageBook['violations']>;
  conflicts: number;
}

const waitsForLease = (d: SharedCheck) => !d.allowed && d.waitMs === null;

export async function simulateSeats(o: SimOptions): Promise<SimResult> {
  const dir = mkdtempSync(join(tmpdir(), 'huntaze-shared-sim-'));
  const dbs: Db[] = [];
  const conns: TeamConnection[] = [];
  try {
    let trueNow = 0;
    const start = Date.UTC(2026, 0, 1);
    const seats = o.skews.map((skew, i) => {
      const clock: Clock = { now: () => start + trueNow + skew, monotonic: () => trueNow };
      const db = openDatabase(join(dir, `seat-${i}.db`));
      dbs.push(db);
      const conn = connectionFor(o.endpoint, o.prefix, `seat-${i}`);
      conns.push(conn);
      const budget = new SharedRateBudget(async () => conn, db, clock, silentLogger, { sleep: async () => undefined, ...o.budget });
      return { budget, dueAt: 0, sent: 0, replyAt: null as number | null };
    });
    const arrivals: Array<{ at: number; seat: number }> = [];
    while (trueNow < o.durationMs) {
      trueNow = Math.min(...seats.map((s) => s.dueAt));
      if (trueNow >= o.durationMs) break;
      const due = seats.map((s, i) => ({ s, i })).filter(({ s }) => s.dueAt === trueNow);
      // Seats due together ask DynamoDB together: their writes race for real.
      await Promise.all(due.filter(({ s }) => s.replyAt === null && waitsForLease(s.budget.check(ACCOUNT, o.limit))).map(({ s }) => s.budget.refill(ACCOUNT, o.limit)));
      for (const { s, i } of due) {
        const late = o.lateness(i);
        if (s.replyAt !== null) {
          // The reply is in: the seat hears of it now and acts a little later.
          s.budget.settled(ACCOUNT);
          s.replyAt = null;
          s.dueAt = trueNow + late;
          continue;
        }
        const d = s.budget.check(ACCOUNT, o.limit);
        if (d.allowed) {
          s.budget.consume(ACCOUNT);
          s.sent += 1;
          const at = trueNow + o.delay(i);
          arrivals.push({ at, seat: i });
          // One send in flight: the seat is back once its reply is in, just after the arrival.
          s.replyAt = at + 1;
          s.dueAt = s.replyAt;
        } else s.dueAt = trueNow + Math.max(1, d.waitMs ?? 1) + late;
      }
    }
    const book = new MessageBook();
    book.setLimits(ACCOUNT, { perMinute: o.limit.perMinute, minIntervalMs: o.limit.minSpacingMs });
    arrivals.sort((a, b) => a.at - b.at);
    arrivals.forEach((a, n) => book.accept({ id: `m${n}`, account: ACCOUNT, chatId: 'c', text: 't', priceMicros: null, mediaIds: [], clientRef: `r${n}`, createdAt: a.at }, a.at));
    return { sent: arrivals.length, perSeat: seats.map((s) => s.sent), violations: book.violations(), conflicts: seats.reduce((n, s) => n + s.budget.stats().conflicts, 0) };
  } finally {
    for (const c of conns) {
      c.dynamo.destroy();
      c.sns.destroy();
    }
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
