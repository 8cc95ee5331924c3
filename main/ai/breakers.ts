import { BrokenCircuitError, CircuitState as CS, ConsecutiveBreaker, circuitBreaker, handleWhen, IsolatedCircuitError } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { type CircuitState, type FaultKind, PROVIDER_IDS, type ProviderId } from '../../shared/ai';
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

/** One cockatiel circuit breaker per provider: closed → open → half-open probe → closed. */
export class Breakers {
  private readonly policies: Record<ProviderId, CircuitBreakerPolicy>;

  constructor(options: BreakerOptions = DEFAULT_BREAKER) {
    const policyFor = () =>
      circuitBreaker(
        handleWhen((err) => err instanceof ProviderFault && COUNTS_AGAINST_PROVIDER.has(err.kind)),
        { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.threshold) },
      );
    this.policies = Object.fromEntries(PROVIDER_IDS.map((id) => [id, policyFor()])) as Record<ProviderId, CircuitBreakerPolicy>;
  }

  state(provider: ProviderId): CircuitState {
    return STATE[this.policies[provider].state];
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
