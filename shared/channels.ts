/**
 * Transport-level names, kept apart from the schemas so the sandboxed preload bundles a few
 * bytes instead of zod. Re-exported by contract.ts, which is the one place to read them.
 */

/** Electron IPC: one request channel, one push channel. */
export const CHANNELS = { invoke: 'huntaze:invoke', event: 'huntaze:event' } as const;

/**
 * Browser host: the WebSocket path, the parameter that carries the session token (or a ticket),
 * and where a tab trades its token or ticket for a fresh ticket before it connects.
 */
export const WEB = { socketPath: '/ws', tokenParam: 'token', sessionPath: '/session' } as const;

/**
 * What a transport offers; `window.huntaze` (preload) and the WebSocket client both implement
 * it, and `createClient` turns either into the typed API.
 */
export interface Transport {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
