import { create } from 'zustand';
import { type Client, createClient, WEB } from '../../../shared/contract';
import { type ConnectionState, createWsTransport, takeToken } from './ws-transport';

export const useConnection = create<{ state: ConnectionState | 'missing-token' }>(() => ({ state: 'connecting' }));

function pickClient(): Client {
  if (window.huntaze) {
    useConnection.setState({ state: 'open' });
    return createClient(window.huntaze);
  }
  const token = takeToken(window.location, window.sessionStorage);
  if (!token) useConnection.setState({ state: 'missing-token' });
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}${WEB.socketPath}?${WEB.tokenParam}=${encodeURIComponent(token ?? '')}`;
  return createClient(createWsTransport(url, (state) => token && useConnection.setState({ state })));
}

/** The one typed API the renderer uses: Electron's preload bridge, or the browser host's socket. */
export const api: Client = pickClient();
