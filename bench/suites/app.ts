import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCore } from '../../main/core/client';
import type { CoreApi } from '../../main/core/api';
import { loopLagMonitor } from '../../main/core/lag';
import { forkCore } from '../../main/core/links';
import type { LoopLag } from '../../main/core/protocol';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { startWebHost } from '../../main/web/server';
import type { ClientCommand, ClientReport } from '../app/client';
import { round, type Suite } from '../harness';

const IN_FLIGHT = 200;
const WARMUP = 400;
const TOTAL = 3_000;
const TARGET_MS = 20;

interface Measured {
  host: LoopLag;
  core: LoopLag | null;
  perSecond: number;
}

/**
 * Serves `core` from this process exactly as `npm run start:web` does, drives it from a client
 * process over the real WebSocket, and measures this process's event loop during the load.
 */
async function measure(dir: string, core: CoreApi, coreLag?: (action: 'start' | 'stop') => Promise<LoopLag | null>): Promise<Measured> {
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Huntaze</title>');
  const host = await startWebHost({ services: core, rendererDir, port: 0, logger: silentLogger });
  const client = fork(join(import.meta.dirname, '..', 'app', 'client.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const clientGone = once(client, 'exit');
  try {
    const next = () => once(client, 'message').then(([m]) => m as ClientReport);
    client.send({ url: host.url, warmup: WARMUP, total: TOTAL, inFlight: IN_FLIGHT } satisfies ClientCommand);
    await Promise.race([next(), clientGone.then(() => Promise.reject(new Error('the bench client died')))]);
    const lag = loopLagMonitor();
    lag.start();
    await coreLag?.('start');
    client.send('go');
    const done = await next();
    const hostLag = lag.stop()!;
    const core = (await coreLag?.('stop')) ?? null;
    if (done.phase !== 'done') throw new Error('the bench client lost its place');
    if (done.failed > 0) throw new Error(`${done.failed} of ${TOTAL} calls failed, e.g. ${JSON.stringify(done.firstFailure)}`);
    return { host: hostLag, core, perSecond: done.ok / done.seconds };
  } finally {
    client.kill();
    await clientGone;
    await host.close();
  }
}

/**
 * What the operator feels while the core is busy: how late the process serving the windows runs
 * while 200 AI calls (Sandbox provider, durable ledger writes) are in flight through the real
 * WebSocket. The same load is run with the core in this process, for comparison.
 */
export const appSuite: Suite = {
  description: `UI-process event-loop lag with ${IN_FLIGHT} AI calls in flight through the WebSocket, core in its own process vs in the UI process`,
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-'));
    try {
      const core = connectCore(
        forkCore({ entry: join(import.meta.dirname, '..', '..', 'main', 'core', 'entry.ts'), execArgv: ['--import', 'tsx'] }),
        { dataDir: join(dir, 'split'), host: 'web', echoLogs: false },
        { logger: silentLogger },
      );
      let split: Measured;
      try {
        await core.ready;
        split = await measure(dir, core, (action) => core.loopLag(action));
      } finally {
        await core.close();
      }

      const services = await createServices({ dataDir: join(dir, 'together'), host: 'web', logger: silentLogger });
      let together: Measured;
      try {
        together = await measure(dir, services);
      } finally {
        await services.close();
      }

      process.stdout.write(`# target ≤ ${TARGET_MS} ms\n`);
      report({ name: 'app.loop_lag_p99_ms', value: round(split.host.p99Ms), unit: 'ms' });
      report({ name: 'app.core_loop_lag_p99_ms', value: round(split.core?.p99Ms ?? Number.NaN), unit: 'ms' });
      report({ name: 'app.loop_lag_max_ms', value: round(split.host.maxMs), unit: 'ms' });
      report({ name: 'app.requests_per_s', value: round(split.perSecond, 0), unit: 'req/s' });
      // The same load with the core inside the UI process: what the split buys.
      report({ name: 'app.inprocess_loop_lag_p99_ms', value: round(together.host.p99Ms), unit: 'ms' });
      report({ name: 'app.inprocess_requests_per_s', value: round(together.perSecond, 0), unit: 'req/s' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
