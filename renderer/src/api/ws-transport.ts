import { type Transport, TransportError, WEB, wireServerFrameSchema } from '../../../shared/contract';

const TOKEN_KEY = 'huntaze.token';
const TICKET_KEY = 'huntaze.ticket';

/**
 * What the tab proves itself with: the printed link's token (it arrives in the URL's fragment,
 * never sent to a server) and the ticket the host last gave it, both kept for this tab only.
 */
export interface Credentials {
  /** Tried in order: the ticket outlives a host restart, the token does not. */
  list(): string[];
  setTicket(ticket: string): void;
}

/** A token in the fragment is a new link: the ticket from an earlier one is dropped with it. */
export function takeCredentials(location: Location, storage: Storage): Credentials | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get(WEB.tokenParam);
  if (fromHash) {
    storage.setItem(TOKEN_KEY, fromHash);
    storage.removeItem(TICKET_KEY);
  }
  if (!storage.getItem(TOKEN_KEY) && !storage.getItem(TICKET_KEY)) return null;
  return {
    list: () => [storage.getItem(TICKET_KEY), storage.getItem(TOKEN_KEY)].filter((c): c is string => !!c),
    setTicket: (ticket) => storage.setItem(TICKET_KEY, ticket),
  };
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
/**
 * `closed`: no host answers (yet). `foreign`: a host answers but refuses this tab: it serves another
 * data folder, or the tab's proof is too old; only the link it printed gets in.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'foreign';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/** Trades a credential for a fresh ticket; 'down' when no host answers as a host would. */
async function askSession(sessionUrl: string, credentials: Credentials): Promise<string | 'down' | 'refused'> {
  for (const credential of credentials.list()) {
    let res: Response;
    try {
      res = await fetch(sessionUrl, { headers: { Authorization: `Bearer ${credential}` }, cache: 'no-store' });
    } catch {
      return 'down';
    }
    if (res.status >= 500) return 'down';
    if (!res.ok) continue;
    const body: unknown = await res.json().catch(() => null);
    const ticket = (body as { ticket?: unknown } | null)?.ticket;
    if (typeof ticket !== 'string') return 'refused';
    credentials.setTicket(ticket);
    return ticket;
  }
  return 'refused';
}

/**
 * The browser host's side of the contract: request/reply and pushed events over one socket.
 * While the host is away it is asked again with backoff; calls made meanwhile fail at once
 * rather than wait, so nothing the operator did is sent late to whichever host comes back.
 */
export function createWsTransport(origin: { socketUrl: string; sessionUrl: string }, credentials: Credentials, onState: (s: ConnectionState) => void): Transport {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let waiting: Pending[] = [];
  let nextId = 0;
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let retryMs = FIRST_RETRY_MS;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    onState(next);
    if (next === 'open' || next === 'connecting') return;
    for (const w of waiting) w.reject(new TransportError('host_unreachable'));
    waiting = [];
  };

  const retry = (outcome: 'closed' | 'foreign') => {
    setState(outcome);
    // A refusing host is asked again too: the one that serves this tab's data may come back.
    setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  const onMessage = (msg: MessageEvent) => {
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
  };

  const connect = async () => {
    const answer = await askSession(origin.sessionUrl, credentials);
    if (answer === 'down' || answer === 'refused') return retry(answer === 'down' ? 'closed' : 'foreign');
    const ws = new WebSocket(`${origin.socketUrl}?${WEB.tokenParam}=${encodeURIComponent(answer)}`);
    ws.addEventListener('message', onMessage);
    ws.addEventListener('open', () => {
      socket = ws;
      retryMs = FIRST_RETRY_MS;
      setState('open');
      for (const w of waiting) w.resolve(undefined);
      waiting = [];
    });
    ws.addEventListener('close', () => {
      socket = null;
      for (const p of pending.values()) p.reject(new TransportError('connection_lost'));
      pending.clear();
      retry('closed');
    });
  };
  void connect();

  const ready = (): Promise<WebSocket> => {
    if (socket) return Promise.resolve(socket);
    // Only the very first connection is waited for: the page's first reads are made before it opens.
    if (state !== 'connecting') return Promise.reject(new TransportError('host_unreachable'));
    return new Promise<unknown>((resolve, reject) => waiting.push({ resolve, reject })).then(() => ready());
  };

  return {
    async invoke(method, input) {
      const ws = await ready();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
