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

export function budgetState(
  spent: { dayMicros: number; monthMicros: number },
  projectedMicros: number,
  budget: RoutingPolicy['budget'],
): BudgetState {
  let state: BudgetState = 'ok';
  for (const [used, limit] of [
    [spent.dayMicros, budget.dailyHardLimitMicros],
    [spent.monthMicros, budget.monthlyHardLimitMicros],
  ] as const) {
    if (limit === null) continue;
    if (used + projectedMicros > limit) return 'exceeded';
    if (used + projectedMicros >= limit * budget.warningRatio) state = 'warning';
  }
  return state;
}

export const skipForBudget = (step: RouteStep, state: BudgetState): boolean =>
  step.skipWhenBudget !== undefined && (state === 'exceeded' || (state === 'warning' && step.skipWhenBudget === 'warning'));
