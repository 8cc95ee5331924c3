import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CompletionRequest, ProviderConfig } from '../../shared/ai';
import { DEFAULT_PROVIDERS, DEFAULT_ROUTING } from '../../main/ai/config';
import { createOpenAIClient } from '../../main/ai/openai';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { type BenchLine, round, type Suite } from '../harness';
import { drive, pooled, rotated, type Sample } from '../load';

const PROVIDER_DELAY_MS = 300;
// More, shorter rounds spread a noisy neighbour's bursts over both paths more evenly.
const ROUNDS = 6;

interface Config {
  /** Suffix of the figure names: the number in flight, `_instant` when the sandbox answers at once. */
  key: string;
  latencyMs: number;
  inFlight: number;
  /** Per path and round; sized so each path-round lasts a few seconds and the suite stays under ~3 minutes. */
  requests: number;
}

// Grouped by latency so a round switches the sandbox's delay twice, not six times.
const CONFIGS: readonly Config[] = [
  { key: '200', latencyMs: PROVIDER_DELAY_MS, inFlight: 200, requests: 1_400 },
  { key: '10', latencyMs: PROVIDER_DELAY_MS, inFlight: 10, requests: 70 },
  { key: '1', latencyMs: PROVIDER_DELAY_MS, inFlight: 1, requests: 7 },
  { key: '200_instant', latencyMs: 0, inFlight: 200, requests: 2_700 },
  { key: '10_instant', latencyMs: 0, inFlight: 10, requests: 1_300 },
  { key: '1_instant', latencyMs: 0, inFlight: 1, requests: 700 },
];

const HEADLINE_TARGETS: Record<string, string> = {
  'orchestrator.p50_ratio_200': '<= 1.02',
  'orchestrator.p99_ratio_200': '<= 1.05',
  'orchestrator.throughput_ratio_200': '>= 0.98',
  'orchestrator.solo_added_ms': '<= 0.5',
};

const API_KEY = 'bench-key-0001';
const MAX_TOKENS = 60;
const messages = [
  { role: 'system' as const, content: 'You write short, warm, personal messages for a creator to send to a fan.' },
  { role: 'user' as const, content: 'Fan: Sam, subscribed 3 months, likes behind-the-scenes posts. Write a thank-you note.' },
];

interface SandboxProcess {
  openaiBaseURL: string;
  setLatency(ms: number): Promise<void>;
  stop(): Promise<void>;
}

async function startSandboxProcess(): Promise<SandboxProcess> {
  const child: ChildProcess = fork(join(import.meta.dirname, '..', 'sandbox-process.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const [hello] = (await once(child, 'message')) as [{ openaiBaseURL: string }];
  let current = 0;
  return {
    openaiBaseURL: hello.openaiBaseURL,
    async setLatency(ms) {
      if (ms === current) return;
      const ack = once(child, 'message');
      child.send({ latencyMs: ms });
      await ack;
      current = ms;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('stop');
      await exited;
    },
  };
}

type Path = 'bare' | 'orch';

/**
 * Whole-request latency and throughput of the orchestrator (routing, breaker, budget pre-flight,
 * pricing, durable ledger write with rollups and outbox) against the bare `openai` SDK, both
 * built from the same provider settings and calling the same sandbox process.
 */
export const orchestratorSuite: Suite = {
  description: `orchestrator vs bare openai SDK, whole-request p50/p99 and throughput, 1/10/200 in flight, ${PROVIDER_DELAY_MS} ms and instant provider`,
  async run(report) {
    const suiteStart = performance.now();
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-'));
    const sandbox = await startSandboxProcess();
    let services: Awaited<ReturnType<typeof createServices>> | undefined;
    try {
      const config: ProviderConfig = {
        ...DEFAULT_PROVIDERS.openai,
        enabled: true,
        endpoint: sandbox.openaiBaseURL,
        totalTimeoutMs: 30_000,
        firstByteTimeoutMs: 30_000,
      };
      // The orchestrator's own client factory: same fetch (and so the same keep-alive pool),
      // maxRetries: 0 and timeout on both paths.
      const bare = createOpenAIClient(config, API_KEY);
      services = await createServices({ dataDir: dir, host: 'web', logger: silentLogger });
      const core = services;
      const setUp = async (method: string, input: unknown) => {
        const result = await core.registry.dispatch(method, input);
        if (!result.ok) throw new Error(`orchestrator bench: ${method} refused: ${JSON.stringify(result.error)}`);
      };
      await setUp('providers.update', { provider: 'openai', config });
      await setUp('providers.setKey', { provider: 'openai', apiKey: API_KEY });
      await setUp('routing.set', { ...DEFAULT_ROUTING, routes: { '*:*': [{ provider: 'openai', modelClass: 'standard' }] } });
      const request: CompletionRequest = { purpose: 'personalize', messages, modelClass: 'standard', maxOutputTokens: MAX_TOKENS, stream: false };

      // The same body and per-request options the orchestrator's adapter sends.
      const calls: Record<Path, () => Promise<unknown>> = {
        bare: () =>
          bare.chat.completions.create(
            { model: config.deployment, messages, max_tokens: MAX_TOKENS, stream: false },
            { maxRetries: 0, timeout: config.totalTimeoutMs },
          ),
        orch: async () => {
          const r = await core.ai.complete(request);
          if (r.outcome !== 'ok') throw new Error(`orchestrator failed: ${r.error?.kind}`);
        },
      };
      let orchCalls = 0;
      const run = (path: Path, c: Config, total: number, rampMs = c.latencyMs): Promise<Sample> => {
        if (path === 'orch') orchCalls += total;
        return drive(calls[path], { total, inFlight: c.inFlight, rampMs });
      };

      // JIT, prepared statements and sockets, before anything counts.
      const warm = CONFIGS.find((c) => c.key === '200_instant')!;
      await sandbox.setLatency(0);
      for (const path of ['bare', 'orch'] as const) await run(path, warm, warm.requests);

      const samples = new Map(CONFIGS.map((c) => [c.key, { bare: [] as Sample[], orch: [] as Sample[] }]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const c of CONFIGS) {
          await sandbox.setLatency(c.latencyMs);
          // Open this concurrency's sockets again: idle ones may have closed since its last round.
          for (const path of ['bare', 'orch'] as const) await run(path, c, c.inFlight, 0);
          for (const path of rotated(['bare', 'orch'] as const, r)) samples.get(c.key)![path].push(await run(path, c, c.requests));
        }
      }

      const lines: BenchLine[] = [];
      const add = (name: string, value: number, unit: string) => lines.push({ name: `orchestrator.${name}`, value, unit });
      for (const c of CONFIGS) {
        const s = samples.get(c.key)!;
        const b = pooled(s.bare);
        const o = pooled(s.orch);
        // A sandbox delay that did not take (or did not clear) would make every ratio meaningless.
        if (c.latencyMs > 0 ? b.p50 < c.latencyMs : b.p50 >= PROVIDER_DELAY_MS) {
          throw new Error(`orchestrator bench: bare p50 ${b.p50} ms with a ${c.latencyMs} ms sandbox; the delay is not what was asked`);
        }
        add(`p50_ratio_${c.key}`, round(o.p50 / b.p50, 3), 'x');
        add(`p99_ratio_${c.key}`, round(o.p99 / b.p99, 3), 'x');
        add(`throughput_ratio_${c.key}`, round(o.rps / b.rps, 3), 'x');
        add(`bare_p50_ms_${c.key}`, round(b.p50, 3), 'ms');
        add(`p50_ms_${c.key}`, round(o.p50, 3), 'ms');
        add(`bare_p99_ms_${c.key}`, round(b.p99, 3), 'ms');
        add(`p99_ms_${c.key}`, round(o.p99, 3), 'ms');
        add(`bare_rps_${c.key}`, round(b.rps, 0), 'req/s');
        add(`rps_${c.key}`, round(o.rps, 0), 'req/s');
        if (c.key === '1_instant') add('solo_added_ms', round(o.p50 - b.p50, 3), 'ms');
      }
      const ledgerRows = (core.db.prepare('SELECT COUNT(*) AS n FROM ai_costs').get() as { n: number }).n;
      add('calls', orchCalls, 'calls');
      add('ledger_rows', ledgerRows, 'rows');
      add('suite_seconds', round((performance.now() - suiteStart) / 1000, 1), 's');

      // The four figures the targets are about come first; the rest explain them.
      const headline = lines.filter((l) => l.name in HEADLINE_TARGETS);
      headline.sort((a, b) => Object.keys(HEADLINE_TARGETS).indexOf(a.name) - Object.keys(HEADLINE_TARGETS).indexOf(b.name));
      for (const line of headline) report({ ...line, target: HEADLINE_TARGETS[line.name] });
      for (const line of lines) if (!(line.name in HEADLINE_TARGETS)) report(line);
    } finally {
      await services?.close();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
