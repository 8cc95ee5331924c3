import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { type Logger, silentLogger } from '../../main/ports/logger';
import { createServices, type Services } from '../../main/services';
import { startWebHost, type WebHost } from '../../main/web/server';
import { useTempDirs } from './tmp';

export interface StartedWebHost {
  host: WebHost;
  services: Services;
  origin: string;
  socketUrl: string;
  /** Opens an authorised socket, closed after the test. */
  client(): Promise<WebSocket>;
}

/**
 * An in-process browser host over real services and a tiny renderer folder (index.html and one
 * asset); hosts, services and sockets are all closed after each test.
 */
export function useWebHosts(): (logger?: Logger) => Promise<StartedWebHost> {
  const tempDir = useTempDirs();
  const started: StartedWebHost[] = [];
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    for (const { host, services } of started.splice(0)) {
      await host.close();
      await services.close();
    }
  });
  return async (logger = silentLogger) => {
    const rendererDir = tempDir();
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Huntaze</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger });
    const host = await startWebHost({ services, rendererDir, port: 0, logger });
    const origin = `http://127.0.0.1:${host.port}`;
    const socketUrl = `ws://127.0.0.1:${host.port}/ws?token=${host.token}`;
    const client = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(socketUrl, { origin });
        sockets.push(ws);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const one = { host, services, origin, socketUrl, client };
    started.push(one);
    return one;
  };
}
