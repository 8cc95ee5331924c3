import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../shared/ai';
import { DEFAULT_PROVIDERS } from '../../../main/ai/config';
import { type AiRig, useAiRig } from '../../support/ai';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'tls');

type Probe = {
  ok: boolean;
  outcome: string;
  status: number | null;
  costMicros: number;
  failure: { reason: string; code: string | null; host: string | null } | null;
};

describe('Test connection says what failed, on the form’s unsaved settings', () => {
  const startRig = useAiRig();
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  const listen = async <S extends Server>(server: S): Promise<string> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return String((server.address() as AddressInfo).port);
  };

  const draft = (endpoint: string, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
    ...DEFAULT_PROVIDERS.azure,
    enabled: false,
    endpoint,
    deployment: 'prod-4o',
    baseModel: 'gpt-4o',
    firstByteTimeoutMs: 2_000,
    totalTimeoutMs: 5_000,
    ...extra,
  });
  const probe = async (rig: AiRig, config: ProviderConfig, apiKey: string | null = 'typed-key-not-saved'): Promise<Probe> => {
    const reply = (await rig.services.registry.dispatch('providers.test', { provider: 'azure', draft: { config, ...(apiKey ? { apiKey } : {}) } })) as {
      ok: boolean;
      value: Probe;
    };
    expect(reply.ok).toBe(true);
    return reply.value;
  };

  it('refused: a port with nothing listening', async () => {
    const rig = await startRig({ keys: {} });
    // A port the system just handed out and took back: nothing listens there now.
    const probeServer = createNetServer();
    await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
    const port = (probeServer.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probeServer.close(() => resolve()));
    const result = await probe(rig, draft(`http://127.0.0.1:${port}`));
    expect(result).toMatchObject({ ok: false, outcome: 'connection', status: null, costMicros: 0, failure: { reason: 'refused', host: `127.0.0.1:${port}` } });
  });

  it('TLS: a server whose certificate is self-signed', async () => {
    const rig = await startRig({ keys: {} });
    const server = createHttpsServer({ key: readFileSync(join(fixtures, 'self-signed.key')), cert: readFileSync(join(fixtures, 'self-signed.crt')) }, (_req, res) => {
      res.end('{}');
    });
    const port = await listen(server);
    const result = await probe(rig, draft(`https://127.0.0.1:${port}`));
    expect(result).toMatchObject({ ok: false, outcome: 'connection', failure: { reason: 'tls' } });
  });

  it('HTTP: a 401 with Azure’s error body gives the status and the provider’s code, and the typed key is used but never stored', async () => {
    const rig = await startRig({ keys: {} });
    const seen: { key: string | undefined; url: string | undefined }[] = [];
    const server = createHttpServer((req, res) => {
      seen.push({ key: req.headers['api-key'] as string | undefined, url: req.url });
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'PermissionDenied', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } }));
    });
    const port = await listen(server);
    const result = await probe(rig, draft(`http://127.0.0.1:${port}`, { apiVersion: '2024-06-01' }), 'typed-key-0001');
    expect(result).toMatchObject({ ok: false, outcome: 'unauthorized', status: 401, failure: { reason: 'http', code: 'PermissionDenied' } });
    // The draft was tested as typed: its deployment, API version and key, while the provider is off.
    expect(seen).toEqual([{ key: 'typed-key-0001', url: '/openai/deployments/prod-4o/chat/completions?api-version=2024-06-01' }]);
    const list = (await rig.services.registry.dispatch('providers.list', {})) as { value: { providers: { id: string; keySet: boolean; config: ProviderConfig }[] } };
    const azure = list.value.providers.find((p) => p.id === 'azure')!;
    expect(azure.keySet).toBe(false);
    expect(azure.config.deployment).not.toBe('prod-4o');
    expect(JSON.stringify(result)).not.toContain('typed-key-0001');
  });

  it('DNS: a host that cannot resolve', async () => {
    const rig = await startRig({ keys: {} });
    const result = await probe(rig, draft('https://no-such-resource.invalid'));
    expect(result).toMatchObject({ ok: false, outcome: 'connection', failure: { reason: 'dns', host: 'no-such-resource.invalid' } });
  });

  it('timeout: a server that never answers before the first-byte timeout', async () => {
    const rig = await startRig({ keys: {} });
    const server = createHttpServer(() => undefined);
    const port = await listen(server);
    const result = await probe(rig, draft(`http://127.0.0.1:${port}`, { firstByteTimeoutMs: 150, totalTimeoutMs: 1_000 }));
    expect(result).toMatchObject({ ok: false, outcome: 'timeout', failure: { reason: 'timeout' } });
    server.closeAllConnections();
  });

  it('connected: a draft against a working server, turned off, answers and shows what it cost', async () => {
    const rig = await startRig({ keys: {} });
    const result = await probe(rig, draft(rig.sandbox.azureEndpoint));
    expect(result).toMatchObject({ ok: true, outcome: 'connected', failure: null });
    expect(result.costMicros).toBeGreaterThan(0);
    // Without a typed key and none saved, it says what is missing instead of trying.
    expect(await probe(rig, draft(rig.sandbox.azureEndpoint), null)).toMatchObject({ ok: false, outcome: 'not_configured' });
  });
});
