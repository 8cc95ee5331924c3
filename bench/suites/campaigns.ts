/**
 * Campaign personalization: what batching many fans per request over one cached prompt prefix
 * costs against one call per fan (same prompt content, same model, the sandbox's token counts
 * priced by the price table through the ledger), and how many messages per second the
 * orchestrator delivers against the sandbox at its default latency.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProviderConfig } from '../../shared/ai';
import { DEFAULT_PROVIDERS, DEFAULT_ROUTING } from '../../main/ai/config';
import { costMicros, PriceBook } from '../../main/ai/pricing';
import { DEFAULT_BATCH_SIZE, type GenerateFan, generateMessages, type GenerateOptions, type Persona } from '../../main/campaigns/generate';
import { silentLogger } from '../../main/ports/logger';
import { createServices } from '../../main/services';
import { round, type Suite } from '../harness';
import { tableFrameBench } from './campaign-table';

const FANS = 1_000;
const API_KEY = 'bench-key-0001';
const MODEL = 'gpt-4o-mini';
const SWEEP = [10, 20, 40, 80];

const persona: Persona = {
  creatorName: 'Luna',
  description:
    'Fitness and cosplay creator from Lyon, 27. Posts a workout or a costume progress picture every day, streams games twice a week, and travels to a convention every month. Fans come for the cosplay and stay for the chat.',
  voice:
    'Playful and warm, a little teasing, never crude. Short sentences, lowercase-friendly, one or two emoji (💕 🥹 😏 ✨), calls fans by their first name and sometimes "babe". Asks a question at the end of most messages.',
  language: 'en',
  restrictedWords: ['paypal', 'venmo', 'cashapp', 'snapchat', 'telegram'],
  maxChars: 300,
  examples: [
    'babe i finally finished the armour 😭 took me three weeks. want to see the first pics before i post them?',
    'you were online at 3am again 😏 what game is keeping you up? i need a new one',
    'thank you for sticking around this long, honestly 🥹 you make this so much fun',
  ],
};

const TAGS = ['cosplay', 'gym', 'travel', 'gaming', 'behind the scenes', 'lingerie', 'music', 'custom requests'];

function fans(n: number): GenerateFan[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-fan-${i}`,
    name: `fan_${i}`,
    displayName: `Fan ${i}`,
    totalSpendMicros: ((i * 7919) % 1500) * 1_000_000,
    subscribedDays: (i * 31) % 900,
    tags: [TAGS[i % TAGS.length]!, TAGS[(i * 3 + 1) % TAGS.length]!],
  }));
}

async function startSandboxProcess(): Promise<{ openaiBaseURL: string; stop(): Promise<void> }> {
  const child: ChildProcess = fork(join(import.meta.dirname, '..', 'sandbox-process.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const [hello] = (await once(child, 'message')) as [{ openaiBaseURL: string }];
  return {
    openaiBaseURL: hello.openaiBaseURL,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('stop');
      await exited;
    },
  };
}

export const campaignsSuite: Suite = {
  description: `${FANS} personalized messages batched over a cached prefix vs one call per fan (${MODEL} through the orchestrator against the sandbox)`,
  async run(report) {
    const dir = mkdtempSync(join(tmpdir(), 'huntaze-bench-campaigns-'));
    const sandbox = await startSandboxProcess();
    let services: Awaited<ReturnType<typeof createServices>> | undefined;
    try {
      services = await createServices({ dataDir: dir, host: 'web', logger: silentLogger });
      const core = services;
      const setUp = async (method: string, input: unknown) => {
        const result = await core.registry.dispatch(method, input);
        if (!result.ok) throw new Error(`campaigns bench: ${method} refused: ${JSON.stringify(result.error)}`);
      };
      const config: ProviderConfig = { ...DEFAULT_PROVIDERS.openai, enabled: true, endpoint: sandbox.openaiBaseURL, deployment: MODEL, baseModel: MODEL, firstByteTimeoutMs: 30_000, totalTimeoutMs: 60_000 };
      await setUp('providers.update', { provider: 'openai', config });
      await setUp('providers.setKey', { provider: 'openai', apiKey: API_KEY });
      await setUp('routing.set', { ...DEFAULT_ROUTING, routes: { '*:*': [{ provider: 'openai', modelClass: 'standard' }] } });

      const list = fans(FANS);
      let run = 0;
      // Each run its own template, so its prefix starts cold in the sandbox's cache, as a new campaign's does.
      const generate = async (extra: Partial<GenerateOptions>) => {
        run++;
        const campaignId = `bench-${run}`;
        const started = performance.now();
        const result = await generateMessages({
          ai: core.ai,
          campaignId,
          campaignType: 'mass_message',
          operatorId: 'bench-operator',
          persona,
          template: `Hey {firstName|babe}, new set #${run} just dropped, come see it before anyone else! ✨`,
          fans: list,
          ...extra,
        });
        const seconds = (performance.now() - started) / 1000;
        if (result.messages.length !== FANS || result.messages.some((m) => m.source !== 'ai')) {
          throw new Error(`campaigns bench: run ${run} did not personalize every fan (${result.fallback ?? 'garbled'})`);
        }
        const rows = core.db.prepare('SELECT input_tokens AS i, cached_input_tokens AS c, output_tokens AS o, cost_micros AS micros FROM ai_costs WHERE campaign_id = ?').all(campaignId) as Array<{
          i: number;
          c: number;
          o: number;
          micros: number;
        }>;
        const micros = rows.reduce((n, r) => n + r.micros, 0);
        if (micros !== result.costMicros) throw new Error('campaigns bench: the ledger and the generator disagree on the cost');
        return { micros, seconds, rows, requests: result.requests };
      };

      await generate({}); // JIT, prepared statements, sockets
      const batched = await generate({});
      const perFan = await generate({ batchSize: 1 });
      const price = new PriceBook().lookup('openai', MODEL, null, new Date());
      const perFanUncached = perFan.rows.reduce((n, r) => n + costMicros({ inputTokens: r.i, cachedInputTokens: 0, outputTokens: r.o }, price), 0);

      process.stdout.write(
        `# batch ${DEFAULT_BATCH_SIZE}: ${batched.requests} requests, ${batched.micros} µ$; one call per fan: ${perFan.requests} requests, ${perFan.micros} µ$ (${perFanUncached} µ$ if nothing were cached)\n`,
      );
      process.stdout.write(`# prefix ${batched.rows[1]?.c ?? 0} cached tokens per batch after the first; vs uncached per-fan calls the ratio is ${round(batched.micros / perFanUncached, 3)}\n`);
      for (const size of SWEEP) {
        if (size === DEFAULT_BATCH_SIZE) continue;
        const r = await generate({ batchSize: size });
        process.stdout.write(`# batch ${size}: cost ratio ${round(r.micros / perFan.micros, 3)}, ${round(FANS / r.seconds, 0)} msgs/s\n`);
      }
      report({ name: 'campaigns.cost_ratio', value: round(batched.micros / perFan.micros, 3), unit: 'ratio', target: '<= 0.2' });
      report({ name: 'campaigns.generate_msgs_per_s', value: round(FANS / batched.seconds, 0), unit: 'msgs/s' });
    } finally {
      await services?.close();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    await tableFrameBench(report);
  },
};
