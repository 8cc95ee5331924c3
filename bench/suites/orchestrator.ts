import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import type { CompletionRequest } from '../../shared/ai';
import { DEFAULT_PROVIDERS, DEFAULT_ROUTING } from '../../main/ai/config';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { round, type Suite } from '../harness';

const IN_FLIGHT = 200;
const REQUESTS_PER_ROUND = 4_000;
const ROUNDS = 3;
const SOLO_REQUESTS = 500;

const messages = [
  { role: 'system' as const, content: 'You write short, warm, personal messages for a creator to send to a fan.' },
  { role: 'user' as const, content: 'Fan: Sam, subscribed 3 months, likes behind-the-scenes posts. Write a thank-you note.' },
];

/** Runs `total` calls with `IN_FLIGHT` in flight; returns each call's latency and the wall time. */
async function drive(total: number, call: () => Promise<unknown>, inFlight = IN_FLIGHT): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      await call();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function startSandboxProcess(): Promise<{ child: ChildProcess; openaiBaseURL: string }> {
  const child = fork(join(import.meta.dirname, '..', 'sandbox-process.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const [msg] = (await once(child, 'message')) as [{ openaiBaseURL: string }];
  return { child, openaiBaseURL: msg.openaiBaseURL };
}

/**
 * The orchestrator (routing, breaker, pricing, budget pre-flight, ledger write with rollups and
 * outbox) against the bare openai SDK, both calling the same sandbox server, rounds interleaved.
 */
export const orchestratorSuite: Suite = {
  description: `orchestrator vs bare openai SDK, ${IN_FLIGHT} in flight, ledger write included`,
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-'));
    const { child, openaiBaseURL } = await startSandboxProcess();
    try {
      const bare = new OpenAI({ apiKey: 'bench-key-0001', baseURL: openaiBaseURL, maxRetries: 0, timeout: 30_000 });
      const services = await createServices({ dataDir: dir, host: 'web', logger: silentLogger });
      await services.registry.dispatch('providers.update', {
        provider: 'openai',
        config: { ...DEFAULT_PROVIDERS.openai, enabled: true, endpoint: openaiBaseURL, totalTimeoutMs: 30_000, firstByteTimeoutMs: 30_000 },
      });
      await services.registry.dispatch('providers.setKey', { provider: 'openai', apiKey: 'bench-key-0001' });
      await services.registry.dispatch('routing.set', { ...DEFAULT_ROUTING, routes: { '*:*': [{ provider: 'openai', modelClass: 'standard' }] } });
      const request: CompletionRequest = { purpose: 'personalize', messages, modelClass: 'standard', maxOutputTokens: 60, stream: false };

      const bareCall = () => bare.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 60 });
      // What the orchestrator adds to each request: its whole latency minus the time inside the
      // SDK call (attempt.ms), measured in the same request, so queueing at 200 in flight cancels out.
      const added: number[] = [];
      let measuring = false;
      const orchCall = async () => {
        const t0 = performance.now();
        const r = await services.ai.complete(request);
        if (r.outcome !== 'ok') throw new Error(`orchestrator failed: ${r.error?.kind}`);
        if (measuring) added.push(performance.now() - t0 - r.attempts.reduce((sum, a) => sum + a.ms, 0));
      };
      // Warm both paths (JIT, sockets, prepared statements) before measuring.
      await drive(IN_FLIGHT * 2, bareCall);
      await drive(IN_FLIGHT * 2, orchCall);

      measuring = true;
      const b = { latencies: [] as number[], seconds: 0 };
      const o = { latencies: [] as number[], seconds: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [sink, call] of [[b, bareCall], [o, orchCall]] as const) {
          const r = await drive(REQUESTS_PER_ROUND, call);
          sink.latencies.push(...r.latencies);
          sink.seconds += r.seconds;
        }
      }
      const bs = b.latencies.sort((x, y) => x - y);
      const os = o.latencies.sort((x, y) => x - y);
      // One at a time: what the orchestrator adds when the event loop is not saturated, which is
      // mostly the fsync of its durable (synchronous=FULL) ledger commit.
      const saturated = added.splice(0);
      await drive(SOLO_REQUESTS, orchCall, 1);
      const solo = added.splice(0).sort((x, y) => x - y);
      added.push(...saturated);
      const ledgerRows = (services.db.prepare('SELECT COUNT(*) AS n FROM ai_costs').get() as { n: number }).n;
      report({ name: 'orchestrator.bare_median_ms', value: round(quantile(bs, 0.5), 3), unit: 'ms' });
      report({ name: 'orchestrator.median_ms', value: round(quantile(os, 0.5), 3), unit: 'ms' });
      report({ name: 'orchestrator.median_delta_ms', value: round(quantile(os, 0.5) - quantile(bs, 0.5), 3), unit: 'ms' });
      const as = added.sort((x, y) => x - y);
      report({ name: 'orchestrator.added_median_ms', value: round(quantile(as, 0.5), 3), unit: 'ms' });
      report({ name: 'orchestrator.added_p99_ms', value: round(quantile(as, 0.99), 3), unit: 'ms' });
      report({ name: 'orchestrator.solo_added_median_ms', value: round(quantile(solo, 0.5), 3), unit: 'ms' });
      report({ name: 'orchestrator.solo_added_p99_ms', value: round(quantile(solo, 0.99), 3), unit: 'ms' });
      report({ name: 'orchestrator.bare_rps', value: round(bs.length / b.seconds, 0), unit: 'req/s' });
      report({ name: 'orchestrator.rps', value: round(os.length / o.seconds, 0), unit: 'req/s' });
      report({ name: 'orchestrator.throughput_ratio', value: round(os.length / o.seconds / (bs.length / b.seconds), 3), unit: 'x' });
      report({ name: 'orchestrator.ledger_rows', value: ledgerRows, unit: 'rows' });
      await services.close();
    } finally {
      child.send('stop');
      await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
