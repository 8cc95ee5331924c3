import type { BudgetThreshold } from '../../shared/budgets';
import { MODEL_CLASSES, type CompletionRequest, type ModelClass, type RouteStep, type RoutingPolicy } from '../../shared/ai';

export type BudgetState = 'ok' | 'warning' | 'exceeded';

const rank = (c: ModelClass) => MODEL_CLASSES.length - MODEL_CLASSES.indexOf(c); // premium 3 … economy 1

/** The most specific route wins: type:purpose, *:purpose, type:*, then *:*. */
export function routeFor(policy: RoutingPolicy, request: Pick<CompletionRequest, 'campaignType' | 'purpose'>): RouteStep[] {
  const type = request.campaignType ?? '*';
  for (const key of [`${type}:${request.purpose}`, `*:${request.purpose}`, `${type}:*`, '*:*']) {
    const steps = policy.routes[key];
    if (steps) return steps;
  }
  return [];
}

/** The request's model class is a ceiling: a step above it runs at the requested class. */
export function capSteps(steps: RouteStep[], ceiling: ModelClass): RouteStep[] {
  return steps.map((s) => (rank(s.modelClass) > rank(ceiling) ? { ...s, modelClass: ceiling } : s));
}

/** Spend plus this request's worst case against one threshold: `warning` from its highest alert level below 100 %. */
export function budgetState(spentMicros: number, projectedMicros: number, threshold: Pick<BudgetThreshold, 'amountMicros' | 'levels'>): BudgetState {
  const used = spentMicros + projectedMicros;
  if (used > threshold.amountMicros) return 'exceeded';
  const warnAt = threshold.levels.filter((l) => l < 100).at(-1) ?? 80;
  return used * 100 >= threshold.amountMicros * warnAt ? 'warning' : 'ok';
}

export const skipForBudget = (step: RouteStep, state: BudgetState): boolean =>
  step.skipWhenBudget !== undefined && (state === 'exceeded' || (state === 'warning' && step.skipWhenBudget === 'warning'));
