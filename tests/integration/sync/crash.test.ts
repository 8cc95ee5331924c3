import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../main/paths';
import { useDynalite } from '../../support/dynalite';
import { useDynamoFaults } from '../../support/dynamo-faults';
import type { SyncChildConfig } from '../../support/sync-child';
import { createCostsTable, scanAll, teamTotals, useSyncSeats, ZONE } from '../../support/sync';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(ROOT, 'tests', 'support', 'sync-child.ts');

describe('a sync process killed mid-batch', () => {
  const startDynalite = useDynalite();
  const startFaults = useDynamoFaults();
  const openSeat = useSyncSeats();
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  const run = (config: SyncChildConfig) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    return { child, exited, lines, stderr: () => err };
  };

  it('leaves rows a new process finishes: the team totals equal the ledger, nothing counted twice', async () => {
    const { endpoint } = await startDynalite();
    await createCostsTable(endpoint);
    const proxy = await startFaults(endpoint);
    const seat = await openSeat(proxy.endpoint);
    await seat.record(150);
    const config: SyncChildConfig = { dbPath: join(seat.dataDir, DB_FILE), endpoint: proxy.endpoint, zone: ZONE, offsetMs: 0 };

    // Two groups of 25 land, the third is held open: the process dies with a batch half written.
    proxy.schedule('pass', 'pass', 'hold');
    const first = run(config);
    await proxy.held();
    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const partial = teamTotals(await scanAll(endpoint));
    expect(partial.rows).toBeGreaterThan(0);
    expect(partial.rows).toBeLessThan(150);

    // Ten minutes on, the dead run's lease has ended and the new run claims the same range again.
    const second = run({ ...config, offsetMs: 10 * 60_000 });
    const end = await second.exited;
    expect(end, second.stderr()).toEqual({ code: 0, signal: null });
    expect(second.lines.at(-1)).toBe('{"t":"done","left":0}');
    const items = await scanAll(endpoint);
    expect(teamTotals(items)).toEqual({ dayMicros: seat.localMicros(), monthMicros: seat.localMicros(), rowMicros: seat.localMicros(), rows: 150 });
  });
});
