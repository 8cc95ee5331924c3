/**
 * What the sandbox OnlyFans server remembers: every message it accepted, per account, and every
 * send that came faster than the platform allows. Kept apart from the HTTP code so the pacing
 * rules read on their own.
 */

export interface AccountLimits {
  /** Most messages accepted in any 60 s window (half-open: (t − 60 s, t]). */
  perMinute: number;
  /** Least time between two accepted messages (OnlyFans: "Allow 3 seconds"). */
  minIntervalMs: number;
}

export const DEFAULT_ACCOUNT_LIMITS: AccountLimits = { perMinute: 10, minIntervalMs: 3_000 };

export interface ReceivedMessage {
  id: string;
  account: string;
  chatId: string;
  text: string;
  /** The PPV price as sent, in integer micro-dollars. */
  priceMicros: number | null;
  mediaIds: string[];
  clientRef: string;
  /** Wall time (epoch ms) from the server's clock, as reported back in `createdAt`. */
  createdAt: number;
}

export interface Violation {
  account: string;
  clientRef: string;
  rule: 'min_interval' | 'per_minute';
  /** For min_interval: ms since the previous message; for per_minute: messages in the window, this one included. */
  observed: number;
  limit: number;
  atMonotonic: number;
}

const WINDOW_MS = 60_000;

interface AccountState {
  messages: ReceivedMessage[];
  /** Monotonic arrival times still inside the last window, oldest first. */
  recent: number[];
  last: number | null;
}

export class MessageBook {
  private accounts = new Map<string, AccountState>();
  private limits = new Map<string, AccountLimits>();
  private found: Violation[] = [];

  setLimits(account: string, limits: AccountLimits): void {
    if (!Number.isInteger(limits.perMinute) || limits.perMinute < 1) throw new RangeError(`perMinute must be a positive integer, got ${limits.perMinute}`);
    if (!Number.isFinite(limits.minIntervalMs) || limits.minIntervalMs < 0) throw new RangeError(`minIntervalMs must be ≥ 0, got ${limits.minIntervalMs}`);
    this.limits.set(account, { ...limits });
  }

  limitsOf(account: string): AccountLimits {
    return this.limits.get(account) ?? DEFAULT_ACCOUNT_LIMITS;
  }

  /**
   * Stores a message and checks it against the account's pace. Only stored messages count:
   * a request refused with 429/500 never reached a fan, so the platform would not hold it
   * against the account either.
   */
  accept(message: ReceivedMessage, atMonotonic: number): void {
    let state = this.accounts.get(message.account);
    if (!state) {
      state = { messages: [], recent: [], last: null };
      this.accounts.set(message.account, state);
    }
    const limits = this.limitsOf(message.account);
    if (state.last !== null && atMonotonic - state.last < limits.minIntervalMs) {
      this.found.push({
        account: message.account,
        clientRef: message.clientRef,
        rule: 'min_interval',
        observed: atMonotonic - state.last,
        limit: limits.minIntervalMs,
        atMonotonic,
      });
    }
    while (state.recent.length > 0 && state.recent[0]! <= atMonotonic - WINDOW_MS) state.recent.shift();
    state.recent.push(atMonotonic);
    if (state.recent.length > limits.perMinute) {
      this.found.push({
        account: message.account,
        clientRef: message.clientRef,
        rule: 'per_minute',
        observed: state.recent.length,
        limit: limits.perMinute,
        atMonotonic,
      });
    }
    state.last = atMonotonic;
    state.messages.push(message);
  }

  messages(account: string): ReceivedMessage[] {
    return [...(this.accounts.get(account)?.messages ?? [])];
  }

  all(): ReceivedMessage[] {
    return [...this.accounts.values()].flatMap((s) => s.messages);
  }

  byClientRef(account: string, clientRef: string): ReceivedMessage[] {
    return (this.accounts.get(account)?.messages ?? []).filter((m) => m.clientRef === clientRef);
  }

  violations(): Violation[] {
    return [...this.found];
  }

  clear(): void {
    this.accounts.clear();
    this.limits.clear();
    this.found = [];
  }
}
