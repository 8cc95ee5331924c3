import type { AddressInfo } from 'node:net';
import { buildApp } from 'fauxqs';
import { afterEach } from 'vitest';

export interface Emulator {
  endpoint: string;
}

/**
 * fauxqs (SNS + SQS) on loopback. Its `startFauxqs` listens on every interface, so the app it
 * builds is started here on 127.0.0.1 instead. Stopped after each test.
 */
export function useFauxqs(): () => Promise<Emulator> {
  const apps: ReturnType<typeof buildApp>[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  return async () => {
    const app = buildApp({ logger: false, defaultRegion: 'eu-west-1' });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}` };
  };
}
