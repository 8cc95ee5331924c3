import type { Attempt, CompletionResult, ModelClass, ProviderFailure, RouteStep, Usage } from '../../shared/ai';

const EMPTY: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

export const addUsage = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
});

/** The running total of one request: its attempts, skipped steps, usage and cost. */
export class RequestLog {
  readonly attempts: Attempt[] = [];
  readonly skipped: CompletionResult['skipped'] = [];
  usage: Usage = EMPTY;
  cost = 0;
  /** Set when a cost row could not be recorded: the request ends, keeping what it got. */
  ledgerFailed = false;

  constructor(
    readonly requestId: string,
    readonly downgraded: boolean,
    readonly requestedClass: ModelClass,
  ) {}

  /** Per provider on the route, in route order: its last attempt's fault and tries, or why it was passed over. */
  failures(route: RouteStep[]): ProviderFailure[] {
    const out: ProviderFailure[] = [];
    for (const provider of new Set(route.map((s) => s.provider))) {
      const tried = this.attempts.filter((a) => a.provider === provider);
      const last = tried.at(-1);
      if (last && last.outcome !== 'ok') {
        out.push({ provider, kind: last.outcome, status: last.status, tries: tried.length });
        continue;
      }
      const skip = this.skipped.findLast((k) => k.provider === provider);
      if (skip) out.push({ provider, kind: skip.reason === 'budget' ? 'budget_exceeded' : skip.reason, status: null, tries: 0 });
    }
    return out;
  }

  result(partial: Partial<CompletionResult> & Pick<CompletionResult, 'outcome'>): CompletionResult {
    return {
      requestId: this.requestId,
      text: '',
      finishReason: null,
      provider: null,
      deployment: null,
      baseModel: null,
      error: null,
      servedByFallback: false,
      downgraded: this.downgraded,
      failures: [],
      requestedClass: this.requestedClass,
      servedClass: null,
      partial: false,
      ...partial,
      usage: this.usage,
      costMicros: this.cost,
      attempts: this.attempts,
      skipped: this.skipped,
    };
  }
}

