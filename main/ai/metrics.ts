import { type FaultKind, PROVIDER_IDS, type ProviderId } from '../../shared/ai';

const WINDOW = 1024;

/** Latencies of the last WINDOW attempts in a ring, so percentiles cost a sort of 1 KiB numbers. */
class Ring {
  private readonly values = new Float64Array(WINDOW);
  private size = 0;
  private next = 0;

  push(v: number) {
    this.values[this.next] = v;
    this.next = (this.next + 1) % WINDOW;
    this.size = Math.min(this.size + 1, WINDOW);
  }

  percentiles(ps: number[]): (number | null)[] {
    if (this.size === 0) return ps.map(() => null);
    const sorted = this.values.slice(0, this.size).sort();
    return ps.map((p) => sorted[Math.min(this.size - 1, Math.ceil((p / 100) * this.size) - 1)]!);
  }
}

interface Counters {
  requests: number;
  errors: number;
  fallbacks: number;
  latency: Ring;
  lastError: { kind: FaultKind; message: string; at: number } | null;
}

/** In-memory orchestrator counters since start; costs come from the ledger, not from here. */
export class OrchestratorMetrics {
  private readonly byProvider = Object.fromEntries(
    PROVIDER_IDS.map((id) => [id, { requests: 0, errors: 0, fallbacks: 0, latency: new Ring(), lastError: null } satisfies Counters]),
  ) as Record<ProviderId, Counters>;

  attempt(provider: ProviderId, ms: number, fault: { kind: FaultKind; message: string; at: number } | null): void {
    const c = this.byProvider[provider];
    c.requests++;
    c.latency.push(ms);
    if (fault) {
      c.errors++;
      c.lastError = fault;
    }
  }

  servedByFallback(provider: ProviderId): void {
    this.byProvider[provider].fallbacks++;
  }

  snapshot(provider: ProviderId) {
    const c = this.byProvider[provider];
    const [p50, p95, p99] = c.latency.percentiles([50, 95, 99]);
    return { requests: c.requests, errors: c.errors, fallbacks: c.fallbacks, p50Ms: p50 ?? null, p95Ms: p95 ?? null, p99Ms: p99 ?? null, lastError: c.lastError };
  }
}
