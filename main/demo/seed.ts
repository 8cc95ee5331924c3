/**
 * The demo seed: what "Explore with demo data" puts into the Sandbox profile, as a list of
 * steps. Each later capability (creators, fans, campaigns, sends) adds its own step here, so the
 * demo grows with the product. Every step is idempotent: fixed ids, and writes that a replay
 * leaves as they are, so seeding twice (or again after a crash halfway) never doubles anything.
 */
import { PROVIDER_IDS } from '../../shared/ai';
import type { BudgetModel } from '../../shared/budgets';
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
 * rollups, budgets and anything reading ai_costs see it as they see the Playground's calls.
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
      const { rows } = historyDay(DEMO_DAYS - 1 - done, now, ledger.calendar, prices);
      await Promise.all(rows.map((row) => ledger.record(row)));
      progress(done + 1, DEMO_DAYS);
    }
  },
};

/** Dollars to micro-dollars, for the round budget amounts below. */
const usd = (dollars: number) => dollars * 1_000_000;

/**
 * Budgets an agency of this size would set, so the Alerts page and Home have alerts to show; the
 * evaluator's catch-up fires what the history already crossed. Budgets the operator set in the
 * Sandbox are kept as they are.
 */
export const DEMO_BUDGETS: BudgetModel = {
  thresholds: [
    { id: 'demo-global-month', scope: 'global', target: null, period: 'month', amountMicros: usd(90), levels: [50, 80, 100], hardStop: 'none' },
    { id: 'demo-global-day', scope: 'global', target: null, period: 'day', amountMicros: usd(4), levels: [80, 100], hardStop: 'none' },
    { id: 'demo-openai-month', scope: 'provider', target: 'openai', period: 'month', amountMicros: usd(15), levels: [50, 80, 100], hardStop: 'none' },
    { id: 'demo-welcome-month', scope: 'campaign', target: 'demo-welcome-new-fans', period: 'month', amountMicros: usd(40), levels: [50, 80, 100], hardStop: 'downgrade' },
  ],
};

const budgetsStep: SeedStep = {
  id: 'budgets',
  async run({ profile, progress }) {
    const budgets = profile.ai.budgets;
    if (budgets.model().thresholds.length === 0) budgets.setModel(DEMO_BUDGETS);
    progress(1, 1);
  },
};

export const SEED_STEPS: readonly SeedStep[] = [providersStep, spendStep, budgetsStep];

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
