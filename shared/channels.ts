/**
 * Transport-level names, kept apart from the schemas so the sandboxed preload bundles a few
 * bytes instead of zod. Re-exported by contract.ts, which is the one place to read them.
 */

/** Electron IPC: one request channel, one push channel. */
export const CHANNELS = { invoke: 'huntaze:invoke', event: 'huntaze:event' } as const;

/** Browser host: the WebSocket path and the parameter that carries the session token. */
export const WEB = { socketPath: '/ws', tokenParam: 'token' } as const;

/**
 * What a transport offers; `window.huntaze` (preload) and the WebSocket client both implement
 * it, and `createClient` turns either into the typed API.
 */
export interface Transport {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
