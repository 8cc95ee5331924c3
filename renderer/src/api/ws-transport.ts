import { type Transport, TransportError, WEB, wireServerFrameSchema } from '../../../shared/contract';

const TOKEN_KEY = 'huntaze.token';

/** The token arrives in the printed URL's fragment (never sent to a server) and survives reloads. */
export function takeToken(location: Location, storage: Storage): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get(WEB.tokenParam);
  if (fromHash) storage.setItem(TOKEN_KEY, fromHash);
  return fromHash ?? storage.getItem(TOKEN_KEY);
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The browser host's side of the contract: request/reply and pushed events over one socket. */
export function createWsTransport(url: string, onState: (s: ConnectionState) => void): Transport {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 0;
  let socket: WebSocket;
  let opened: Promise<void>;
  let retryMs = 250;

  const connect = () => {
    onState('connecting');
    socket = new WebSocket(url);
    opened = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => {
        retryMs = 250;
        onState('open');
        resolve();
      });
      socket.addEventListener('close', () => reject(new TransportError('host_unreachable')));
    });
    opened.catch(() => undefined);
    socket.addEventListener('message', (msg) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(msg.data));
      } catch {
        return;
      }
      const frame = wireServerFrameSchema.safeParse(raw);
      if (!frame.success) return;
      if (frame.data.type === 'event') {
        for (const l of listeners) l(frame.data.event, frame.data.payload);
        return;
      }
      pending.get(frame.data.id)?.resolve(frame.data.result);
      pending.delete(frame.data.id);
    });
    socket.addEventListener('close', () => {
      onState('closed');
      for (const p of pending.values()) p.reject(new TransportError('connection_lost'));
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  connect();

  return {
    async invoke(method, input) {
      await opened;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
