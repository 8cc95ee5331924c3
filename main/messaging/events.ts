import type { SendProgress } from '../../shared/sending';
import { Coalesced } from '../ipc/coalesce';
import type { EventBus } from '../ipc/events';

/** At most one `sends.progress` per this many ms: a campaign's thousand steps do not flood the renderer. */
export const SENDS_PROGRESS_EVERY_MS = 200;

/** Keeps the latest step of each send, in the order sends first moved. */
function merge(earlier: SendProgress[], later: SendProgress[]): SendProgress[] {
  const byId = new Map(earlier.map((p) => [p.id, p]));
  for (const p of later) {
    byId.delete(p.id);
    byId.set(p.id, p);
  }
  return [...byId.values()];
}

/** The queues' hooks turned into `sends.progress` (coalesced) and `queue.changed` (at once: it is rare and the page waits for it). */
export class SendEvents {
  private readonly progressed: Coalesced<SendProgress[]>;

  constructor(
    private readonly events: EventBus,
    everyMs = SENDS_PROGRESS_EVERY_MS,
  ) {
    this.progressed = new Coalesced(everyMs, merge, (sends) => events.emit('sends.progress', { sends }));
  }

  progress = (changes: SendProgress[]): void => {
    this.progressed.push(changes);
  };

  queueChanged = (scope: { accountId: string | null; jobId: string | null }): void => {
    this.events.emit('queue.changed', scope);
  };

  close(): void {
    this.progressed.close();
  }
}
