import { create } from 'zustand';
import { type Client, createClient, WEB } from '../../../shared/contract';
import { type ConnectionState, createWsTransport, takeCredentials } from './ws-transport';

interface Connection {
  state: ConnectionState | 'missing-token';
  /** When the host went away (epoch ms): what is on screen is as of then. */
  lostAt: number | null;
}

export const useConnection = create<Connection>(() => ({ state: 'connecting', lostAt: null }));

/** Changes are refused while the host is away: they would go to whichever host comes back. */
export const isConnected = (c: Pick<Connection, 'state'>) => c.state === 'open';

function pickClient(): Client {
  if (window.huntaze) {
    useConnection.setState({ state: 'open' });
    return createClient(window.huntaze);
  }
  const credentials = takeCredentials(window.location, window.sessionStorage);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const origin = {
    socketUrl: `${scheme}://${window.location.host}${WEB.socketPath}`,
    sessionUrl: `${window.location.origin}${WEB.sessionPath}`,
  };
  if (!credentials) {
    useConnection.setState({ state: 'missing-token' });
    return createClient({ invoke: () => Promise.reject(new Error('no token')), subscribe: () => () => undefined });
  }
  return createClient(
    createWsTransport(origin, credentials, (state) =>
      useConnection.setState((before) => ({
        state,
        lostAt: state === 'open' ? null : (before.lostAt ?? (before.state === 'open' ? Date.now() : null)),
      })),
    ),
  );
}

/** The one typed API the renderer uses: Electron's preload bridge, or the browser host's socket. */
export const api: Client = pickClient();
