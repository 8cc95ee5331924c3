/**
 * `BENCH aws.shared_limiter_utilization`: two seats sending for one account through the shared
 * rate budget over a simulated 10 minutes (manual clocks driven here, a real dynalite on
 * loopback, the real SDK). Utilization = messages sent / (limit × minutes); the arrivals are
 * judged by the sandbox OnlyFans server's own MessageBook, whose violations are printed too.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import type { SharedBudgetOptions } from '../../main/aws/rate-budget';
import { createCostsTable, dynamoClient, simulateSeats } from '../../tests/support/shared-limiter-sim';
import { type BenchLine, round } from '../harness';

const LIMIT = { perMinute: 10, minSpacingMs: 3_000 };
const MINUTES = 10;
/**
 * Bounds matched to the simulated seats: clocks 100 ms apart, sends 0–100 ms on the way, each act
 * up to 50 ms late (so up to ~150 ms of drift by a lease's last slot). The app's defaults (skew
 * 250, slack 200 — the queue's pace margin, which alone caps any pacing at 6 000 / 6 200 = 0.968 —
 * lateness 100) give about 0.95 in theory.
 */
const BUDGET: SharedBudgetOptions = { leaseSlots: 4, skewMs: 100, arrivalSlackMs: 100, lateMs: 150 };

export async function sharedLimiterBench(report: (line: BenchLine) => void): Promise<void> {
  const server: Server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = dynamoClient(endpoint);
  try {
    await createCostsTable(admin, 'bench');
    let x = 12_345;
    const rnd = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    // Seat clocks 100 ms apart, each send 0–100 ms on the way, each seat 0–50 ms late to act.
    const result = await simulateSeats({
      endpoint,
      prefix: 'bench',
      limit: LIMIT,
      durationMs: MINUTES * 60_000,
      skews: [-50, 50],
      delay: () => Math.floor(rnd() * 101),
      lateness: () => Math.floor(rnd() * 51),
      budget: { ...BUDGET, random: rnd },
    });
    report({ name: 'aws.shared_limiter_utilization', value: round(result.sent / (LIMIT.perMinute * MINUTES), 3), unit: 'ratio', target: '>= 0.95' });
    report({ name: 'aws.shared_limiter_violations', value: result.violations.length, unit: 'count', target: '== 0' });
    report({ name: 'aws.shared_limiter_seat_split', value: round(Math.min(...result.perSeat) / Math.max(...result.perSeat), 2), unit: 'ratio' });
  } finally {
    admin.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
