import { BrokenCircuitError, CircuitState as CS, ConsecutiveBreaker, circuitBreaker, handleWhen, IsolatedCircuitError } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { type CircuitState, type FaultKind, PROVIDER_IDS, type ProviderId } from '../../shared/ai';
import type { Clock } from '../ports/clock';
import { ProviderFault } from './types';

/** Faults that say the provider is unwell; a refusal or our own bad request says nothing about it. */
const COUNTS_AGAINST_PROVIDER = new Set<FaultKind>(['rate_limited', 'server_error', 'timeout', 'connection', 'stream_dropped', 'unauthorized', 'quota_exhausted']);

const STATE: Record<CS, CircuitState> = {
  [CS.Closed]: 'closed',
  [CS.Open]: 'open',
  [CS.HalfOpen]: 'half_open',
  [CS.Isolated]: 'isolated',
};

export interface BreakerOptions {
  /** Consecutive provider faults that open the circuit. */
  threshold: number;
  /** How long an open circuit waits before letting one probe through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, halfOpenAfterMs: 30_000 };

/** A circuit as Health shows it; times are the core clock's, so a countdown never depends on the window's clock. */
export interface CircuitView {
  state: CircuitState;
  /** When the circuit last opened, while it is open or half-open. */
  openedAt: number | null;
  /** From when the next request may probe the provider, while it is open. */
  nextProbeAt: number | null;
  lastReset: { by: string; at: number } | null;
}

/** One cockatiel circuit breaker per provider: closed → open → half-open probe → closed. */
export class Breakers {
  private readonly policies = {} as Record<ProviderId, CircuitBreakerPolicy>;
  private readonly openedAt: Partial<Record<ProviderId, number>> = {};
  private readonly resets: Partial<Record<ProviderId, { by: string; at: number }>> = {};

  constructor(
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly clock: Pick<Clock, 'now'>,
    /** Told of every state change, a reset included, so open windows refresh at once. */
    private readonly onChange: (provider: ProviderId, state: CircuitState) => void = () => undefined,
  ) {
    for (const id of PROVIDER_IDS) this.policies[id] = this.policyFor(id);
  }

  private policyFor(provider: ProviderId): CircuitBreakerPolicy {
    const policy = circuitBreaker(
      handleWhen((err) => err instanceof ProviderFault && COUNTS_AGAINST_PROVIDER.has(err.kind)),
      { halfOpenAfter: this.options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.options.threshold) },
    );
    policy.onBreak(() => {
      this.openedAt[provider] = this.clock.now();
    });
    policy.onStateChange((state) => this.onChange(provider, STATE[state]));
    return policy;
  }

  state(provider: ProviderId): CircuitState {
    return STATE[this.policies[provider].state];
  }

  view(provider: ProviderId): CircuitView {
    const state = this.state(provider);
    const openedAt = state === 'closed' ? null : (this.openedAt[provider] ?? null);
    return {
      state,
      openedAt,
      nextProbeAt: state === 'open' && openedAt !== null ? openedAt + this.options.halfOpenAfterMs : null,
      lastReset: this.resets[provider] ?? null,
    };
  }

  /**
   * Closes the circuit at once, forgetting its failure count: the operator says the provider is
   * fixed. A fresh policy is the one reset cockatiel offers; a call running on the old one ends there.
   */
  reset(provider: ProviderId, by: string): CircuitView {
    this.policies[provider] = this.policyFor(provider);
    delete this.openedAt[provider];
    this.resets[provider] = { by, at: this.clock.now() };
    this.onChange(provider, 'closed');
    return this.view(provider);
  }

  /** Runs fn through the provider's breaker; an open circuit answers ProviderFault('circuit_open') at once. */
  async run<T>(provider: ProviderId, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.policies[provider].execute(fn);
    } catch (err) {
      if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
        throw new ProviderFault('circuit_open', `${provider} circuit is open after repeated failures`);
      }
      throw err;
    }
  }
}
