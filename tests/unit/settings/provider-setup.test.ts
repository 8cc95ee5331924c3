import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDERS } from '../../../main/ai/config';
import { methods } from '../../../shared/contract';
import { isApiVersion, isLoopbackHost, parseAzurePaste, setupIssues } from '../../../shared/providerSetup';

describe('reading what an operator pastes from the Azure portal', () => {
  it('splits a full chat completions URL into endpoint, deployment and API version', () => {
    expect(parseAzurePaste('https://contoso-eu.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21')).toEqual({
      endpoint: 'https://contoso-eu.openai.azure.com',
      deployment: 'prod-4o',
      apiVersion: '2024-10-21',
    });
  });

  it('keeps the resource endpoint alone, without its trailing slash or /openai path', () => {
    expect(parseAzurePaste('https://contoso.openai.azure.com/')).toEqual({ endpoint: 'https://contoso.openai.azure.com' });
    expect(parseAzurePaste('https://contoso.cognitiveservices.azure.com/openai')).toEqual({ endpoint: 'https://contoso.cognitiveservices.azure.com' });
  });

  it('reads odd pastes: spaces and quotes around, a curl line, a label, a bare host, a port, upper case, encoded names', () => {
    expect(parseAzurePaste('  "https://Contoso.OpenAI.Azure.com/openai/deployments/gpt%204o/completions?API-Version=2025-04-01-preview"\n')).toEqual({
      endpoint: 'https://contoso.openai.azure.com',
      deployment: 'gpt 4o',
      apiVersion: '2025-04-01-preview',
    });
    expect(
      parseAzurePaste(`curl "https://x.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2024-06-01" -H "api-key: $KEY"`),
    ).toEqual({ endpoint: 'https://x.openai.azure.com', deployment: 'd1', apiVersion: '2024-06-01' });
    expect(parseAzurePaste('Endpoint: https://x.openai.azure.com/')).toEqual({ endpoint: 'https://x.openai.azure.com' });
    expect(parseAzurePaste('x.openai.azure.com')).toEqual({ endpoint: 'https://x.openai.azure.com' });
    expect(parseAzurePaste('http://127.0.0.1:8080/openai/deployments/local-d?api-version=2024-10-21&foo=1')).toEqual({
      endpoint: 'http://127.0.0.1:8080',
      deployment: 'local-d',
      apiVersion: '2024-10-21',
    });
  });

  it('finds nothing in text with no address', () => {
    expect(parseAzurePaste('')).toBeNull();
    expect(parseAzurePaste('my deployment')).toBeNull();
    expect(parseAzurePaste('sk-abc123')).toBeNull();
  });
});

describe('provider setup rules', () => {
  const azure = { ...DEFAULT_PROVIDERS.azure, endpoint: 'https://x.openai.azure.com', deployment: 'd', baseModel: 'gpt-4o' };

  it('requires HTTPS except on loopback', () => {
    expect(setupIssues('azure', { ...azure, endpoint: 'http://x.openai.azure.com' })).toEqual([
      { path: ['endpoint'], rule: 'https_required', params: { host: 'x.openai.azure.com' } },
    ]);
    for (const endpoint of ['http://127.0.0.1:11434/v1', 'http://localhost:1234', 'http://[::1]:8080', 'https://x.openai.azure.com']) {
      expect(setupIssues('local', { ...DEFAULT_PROVIDERS.local, endpoint }), endpoint).toEqual([]);
    }
    // A LAN address is not loopback: a key would cross the network in clear.
    expect(setupIssues('local', { ...DEFAULT_PROVIDERS.local, endpoint: 'http://192.168.1.20:11434/v1' })[0]?.rule).toBe('https_required');
    expect(isLoopbackHost('127.8.0.1')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
  });

  it('accepts a known API version or its date form, and nothing else', () => {
    for (const v of ['2024-10-21', '2025-04-01-preview', '2026-02-15', '2026-02-15-preview']) expect(isApiVersion(v), v).toBe(true);
    for (const v of ['2024-13-01', '2024-02-30', 'latest', '2024-10-21-beta', '24-10-21', '1999-01-01']) expect(isApiVersion(v), v).toBe(false);
    expect(setupIssues('azure', { ...azure, apiVersion: 'v1' })).toEqual([{ path: ['apiVersion'], rule: 'api_version', params: { example: '2024-10-21' } }]);
    // Only Azure has an API version; empty means the app's default.
    expect(setupIssues('azure', { ...azure, apiVersion: '' })).toEqual([]);
    expect(setupIssues('openai', { ...DEFAULT_PROVIDERS.openai, apiVersion: 'whatever' })).toEqual([]);
  });

  it('refuses a first-byte timeout above the total one', () => {
    expect(setupIssues('azure', { ...azure, firstByteTimeoutMs: 30_000, totalTimeoutMs: 20_000 })).toEqual([
      { path: ['firstByteTimeoutMs'], rule: 'first_byte_over_total', params: { total: 20_000 } },
    ]);
    expect(setupIssues('azure', { ...azure, firstByteTimeoutMs: 20_000, totalTimeoutMs: 20_000 })).toEqual([]);
  });

  it('is what the contract checks, so main refuses what the form refuses, field by field', () => {
    const parsed = methods['providers.update'].input.safeParse({
      provider: 'azure',
      config: { ...azure, endpoint: 'http://x.openai.azure.com', apiVersion: 'soon', firstByteTimeoutMs: 9_000, totalTimeoutMs: 1_000 },
    });
    expect(parsed.success).toBe(false);
    const found = parsed.error!.issues.map((i) => [i.path.join('.'), (i as { params?: { rule?: string } }).params?.rule]);
    expect(found).toEqual([
      ['config.endpoint', 'https_required'],
      ['config.apiVersion', 'api_version'],
      ['config.firstByteTimeoutMs', 'first_byte_over_total'],
    ]);
    const draft = methods['providers.test'].input.safeParse({ provider: 'azure', draft: { config: { ...azure, endpoint: 'http://x.openai.azure.com' } } });
    expect(draft.error?.issues[0]?.path).toEqual(['draft', 'config', 'endpoint']);
    expect(methods['providers.update'].input.safeParse({ provider: 'azure', config: azure }).success).toBe(true);
  });
});
