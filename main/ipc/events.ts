import type { EventName, EventPayload } from '../../shared/contract';
import { type Logger, silentLogger } from '../ports/logger';

type Listener = (event: EventName, payload: unknown) => void;

/** What the core pushes to every connected window or browser tab. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly logger: Logger = silentLogger) {}

  /**
   * Never throws: emitters are ledger commits, alert evaluation and handlers that already did
   * their work; one broken listener (a closed socket, a bad renderer bridge) must neither undo
   * that nor keep the other windows from hearing about it.
   */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        this.logger.error('events: a listener failed', { event, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** Whether anyone hears an emit now (a window's bridge, a browser tab's socket). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
