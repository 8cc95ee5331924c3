import type { EventBus } from '../ipc/events';

/** Pieces arriving within this window go out as one event: a token-by-token stream would flood the socket. */
const COALESCE_MS = 50;
/** The Playground shows a reply, not a book: past this, the rest arrives with the result. */
export const MAX_STREAMED_CHARS = 32_000;

/**
 * Forwards a completion's streamed text as `ai.delta` events under the sender's stream id,
 * coalesced and bounded. `close()` sends what is still held, so every piece precedes the reply.
 */
export function deltaStream(events: EventBus, streamId: string) {
  let attempt = 0;
  let held = '';
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!held) return;
    events.emit('ai.delta', { streamId, attempt, text: held });
    held = '';
  };

  return {
    push(attemptNo: number, text: string) {
      // A retry or a fallback starts a new reply: what was held belongs to the old one.
      if (attemptNo !== attempt) {
        flush();
        attempt = attemptNo;
        sent = 0;
      }
      const room = MAX_STREAMED_CHARS - sent;
      if (room <= 0) return;
      const piece = text.slice(0, room);
      held += piece;
      sent += piece.length;
      timer ??= setTimeout(flush, COALESCE_MS);
    },
    close: flush,
  };
}
