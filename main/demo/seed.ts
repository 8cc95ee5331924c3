/**
 * The demo seed: what "Explore with demo data" puts into the Sandbox profile, as a list of
 * steps. Each later capability (creators, fans, campaigns, sends) adds its own step here, so the
 * demo grows with the product. Every step is idempotent: fixed ids, and writes that a replay
 * leaves as they are, so seeding twice (or again after a crash halfway) never doubles anything.
 */
import { PROVIDER_IDS } from '../../shared/ai';
import type { DEMO_STEPS } from '../../shared/contract/demo';
import { AppError } from '../../shared/result';
import { PriceBook } from '../ai/pricing';
import { SANDBOX_PROVIDERS } from '../ai/sandbox-mode';
import type { Clock } from '../ports/clock';
import type { Profile } from '../profiles/profile';
import { DEMO_DAYS, historyDay } from './history';

export interface SeedContext {
  profile: Profile;
  clock: Clock;
  /** Work done so far in this step, out of `total`. */
  progress(done: number, total: number): void;
}

export interface SeedStep {
  /** Names the step in progress events (and in the renderer's `demo.steps.<id>` wording). */
  id: SeedStepId;
  run(ctx: SeedContext): Promise<void>;
}

export type SeedStepId = (typeof DEMO_STEPS)[number];

/** The Sandbox's provider settings as the demo shows them: realistic deployments, all enabled. */
const providersStep: SeedStep = {
  id: 'providers',
  async run({ profile, progress }) {
    for (const [i, id] of PROVIDER_IDS.entries()) {
      await profile.ai.update(id, structuredClone(SANDBOX_PROVIDERS[id]));
      progress(i + 1, PROVIDER_IDS.length);
    }
  },
};

/**
 * Sixty days of spend through the ledger's own write path, a day per group commit, so the
 * rollups, budgets and anything reading ai_costs see it as they see the Playground's calls;
 * and the same requests in the request log, every attempt included.
 */
const spendStep: SeedStep = {
  id: 'spend',
  async run({ profile, clock, progress }) {
    const ledger = profile.ai.ledger;
    const prices = new PriceBook();
    const now = clock.now();
    // Oldest first: the rows' seq follows their time, as it does for calls made live.
    for (let done = 0; done < DEMO_DAYS; done++) {
      if (!profile.db.open) throw new AppError('conflict', 'demo_interrupted');
      const { rows, requests } = historyDay(DEMO_DAYS - 1 - done, now, ledger.calendar, prices);
      await Promise.all(rows.map((row) => ledger.record(row)));
      // Fixed request ids: a second seed leaves the log as it is.
      profile.ai.requestLog.writeMany(requests);
      progress(done + 1, DEMO_DAYS);
    }
  },
};

export const SEED_STEPS: readonly SeedStep[] = [providersStep, spendStep];

export interface SeedProgress {
  step: SeedStepId;
  stepIndex: number;
  steps: number;
  done: number;
  total: number;
}

export interface SeedOptions {
  clock: Clock;
  onProgress?: (progress: SeedProgress) => void;
  steps?: readonly SeedStep[];
}

/**
 * Seeds the Sandbox profile; the live profile is refused before anything is written. Answers how
 * many cost rows this run added: none when the history was there already.
 */
export async function seedDemo(profile: Profile, { clock, onProgress, steps = SEED_STEPS }: SeedOptions): Promise<{ costRows: number }> {
  if (profile.name !== 'sandbox') throw new AppError('conflict', 'demo_live');
  const count = profile.db.prepare<[], number>('SELECT COUNT(*) FROM ai_costs').pluck();
  const before = count.get()!;
  for (const [stepIndex, step] of steps.entries()) {
    await step.run({
      profile,
      clock,
      progress: (done, total) => onProgress?.({ step: step.id, stepIndex, steps: steps.length, done, total }),
    });
  }
  return { costRows: count.get()! - before };
}
