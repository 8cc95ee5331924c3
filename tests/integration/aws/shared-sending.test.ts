import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SharedRateBudget } from '../../../main/aws/rate-budget';
import { openDatabase } from '../../../main/db/open';
import { startOnlyFansSandbox } from '../../../main/messaging/sandbox/server';
import { systemClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { useDynalite } from '../../support/dynalite';
import { SANDBOX_KEY, useSendingStacks } from '../../support/sending';
import { connectionFor, createCostsTable } from '../../support/shared-limiter-sim';

const PER_SEAT = 15;

describe('two seats, one creator account: real queues on their own files, one sandbox OnlyFans server, dynalite as the team table', () => {
  const { stack, defer, tempDir } = useSendingStacks();
  const startDynalite = useDynalite();

  it('both seats send and the platform records no violation of the account’s pace', async () => {
    const { endpoint } = await startDynalite();
    const server = await startOnlyFansSandbox({ apiKey: SANDBOX_KEY });
    defer(() => server.close());
    const seats = await Promise.all(
      ['seat-a', 'seat-b'].map(async (seatId) => {
        const conn = connectionFor(endpoint, 'two', seatId);
        defer(() => {
          conn.dynamo.destroy();
          conn.sns.destroy();
        });
        if (seatId === 'seat-a') await createCostsTable(conn.dynamo, 'two');
        const db = openDatabase(join(tempDir(), 'team.db'));
        defer(() => db.close());
        // The stacks' pace margin is 10 ms: the budget's arrival slack is the same, so the lease
        // grid and the local limiter keep one pace. Same machine, so the clocks agree.
        const shared = new SharedRateBudget(async () => conn, db, systemClock, silentLogger, { leaseSlots: 3, skewMs: 5, arrivalSlackMs: 10, lateMs: 40 });
        const s = await stack({ server, queue: { shared } });
        return { s, shared, account: await s.addAccount('shared-creator') };
      }),
    );
    const sends = seats.map(({ s, account }) => Array.from({ length: PER_SEAT }, (_, i) => s.queue.enqueue({ accountId: account.id, chatId: 'fan', text: `m${i}` })));
    await Promise.all(seats.map(({ s }) => s.queue.start()));
    await Promise.all(seats.map(({ s }, n) => s.until(() => sends[n]!.every((x) => s.queue.get(x.id)!.state === 'sent'))));

    expect(server.messages('shared-creator')).toHaveLength(2 * PER_SEAT);
    // The stacks judge at 600/min and 40 ms apart: a few seconds never fill the 60 s window, so
    // the min interval is what two unaware seats would break here (the window is the property test's).
    expect(server.violations()).toEqual([]);
    for (const { shared } of seats) {
      expect(shared.stats().leases).toBeGreaterThanOrEqual(PER_SEAT / 3);
      expect(shared.status('shared-creator')).toEqual({ mode: 'shared', seats: 2 });
    }
    expect(seats[0]!.s.queue.stats().find((x) => x.accountId === seats[0]!.account.id)?.shared).toEqual({ mode: 'shared', seats: 2 });
  });
});
