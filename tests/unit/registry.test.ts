import { describe, expect, it } from 'vitest';
import { createRegistry, type Handlers } from '../../main/ipc/registry';
import type { Logger } from '../../main/ports/logger';
import { methodNames } from '../../shared/contract';
import { AppError } from '../../shared/result';

const settings = { operatorName: 'Ana', theme: 'system' as const, language: 'en' as const, sandboxMode: false, timeZone: 'Europe/Paris' };

function recordingLogger() {
  const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log = (msg: string, fields?: Record<string, unknown>) => void lines.push({ msg, fields });
  const logger: Logger = { info: log, warn: log, error: log };
  return { logger, lines };
}

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  // Methods this test does not exercise answer like a capability that is not there.
  const unused = Object.fromEntries(
    methodNames.map((m) => [m, () => Promise.reject(new AppError('unavailable', 'internal', { method: m }))]),
  ) as unknown as Handlers;
  return {
    ...unused,
    'app.info': () => ({ name: 'huntaze-desktop', productName: 'Huntaze', version: '0.0.0', host: 'web', platform: 'linux' }),
    'health.get': () => {
      throw new Error('disk on fire at /secret/path');
    },
    'settings.get': () => settings,
    'settings.update': (patch) => ({ ...settings, ...patch }),
    ...overrides,
  };
}

describe('handler registry', () => {
  it('returns the handler value as ok', async () => {
    const { logger } = recordingLogger();
    expect(await createRegistry(handlers(), logger).dispatch('settings.get', {})).toEqual({ ok: true, value: settings });
  });

  it('hands the handler the parsed input (trimmed by the schema)', async () => {
    const { logger } = recordingLogger();
    const result = await createRegistry(handlers(), logger).dispatch('settings.update', { operatorName: '  Zoé  ' });
    expect(result).toEqual({ ok: true, value: { ...settings, operatorName: 'Zoé' } });
  });

  it.each([
    ['not a string', 42],
    ['unknown name', 'settings.delete'],
    ['prototype key', '__proto__'],
    ['inherited key', 'toString'],
  ])('maps an unknown method (%s) to unknown_method', async (_label, method) => {
    const { logger } = recordingLogger();
    const result = await createRegistry(handlers(), logger).dispatch(method, {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'unknown_method' } });
  });

  it('maps schema failures to invalid_input with field issues, without calling the handler', async () => {
    const { logger } = recordingLogger();
    let called = false;
    const registry = createRegistry(handlers({ 'settings.update': () => ((called = true), settings) }), logger);
    const result = await registry.dispatch('settings.update', { theme: 'neon', extra: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('invalid_input');
    expect(result.error.code).toBe('invalid_input');
    // Issues are data the renderer words: where, which rule, the rule's figures. No English.
    expect(result.error.issues).toContainEqual({ path: ['theme'], code: 'invalid_value', params: { values: 'light, dark, system' } });
    expect(result.error.issues).toContainEqual({ path: [], code: 'unrecognized_keys', params: { keys: 'extra' } });
    expect(called).toBe(false);
  });

  it('words a refinement as its named rule', async () => {
    const { logger } = recordingLogger();
    const result = await createRegistry(handlers(), logger).dispatch('settings.update', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid_input', issues: [{ path: [], code: 'custom', params: { rule: 'at_least_one' } }] } });
  });

  it('lets only what the output schema allows cross: extra fields are dropped', async () => {
    const { logger } = recordingLogger();
    const info = { name: 'huntaze-desktop', productName: 'Huntaze', version: '0.0.0', host: 'web' as const, platform: 'linux' };
    const registry = createRegistry(handlers({ 'app.info': () => ({ ...info, apiKey: 'sk-should-never-cross' }) }), logger);
    const result = await registry.dispatch('app.info', {});
    expect(result).toEqual({ ok: true, value: info });
    expect(JSON.stringify(result)).not.toContain('sk-should-never-cross');
  });

  it('refuses a reply that breaks its output schema as internal, and logs which field', async () => {
    const { logger, lines } = recordingLogger();
    const registry = createRegistry(handlers({ 'settings.get': () => ({ ...settings, theme: 'neon' }) as never }), logger);
    expect(await registry.dispatch('settings.get', {})).toEqual({ ok: false, error: { kind: 'internal', code: 'internal', params: { method: 'settings.get' } } });
    expect(JSON.stringify(lines)).toContain('theme');
  });

  it('passes an AppError through with its kind, code and parameters', async () => {
    const { logger } = recordingLogger();
    const registry = createRegistry(
      handlers({
        'settings.get': () => {
          throw new AppError('conflict', 'sandbox_off', { target: 'azure' });
        },
      }),
      logger,
    );
    expect(await registry.dispatch('settings.get', {})).toEqual({ ok: false, error: { kind: 'conflict', code: 'sandbox_off', params: { target: 'azure' } } });
  });

  it('hides unexpected errors behind internal and logs the detail', async () => {
    const { logger, lines } = recordingLogger();
    const result = await createRegistry(handlers(), logger).dispatch('health.get', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('/secret/path');
    expect(JSON.stringify(lines)).toContain('disk on fire');
  });

  it('never rejects, even when a handler returns a rejected promise of a non-Error', async () => {
    const { logger } = recordingLogger();
    const registry = createRegistry(handlers({ 'settings.get': () => Promise.reject('plain string') }), logger);
    await expect(registry.dispatch('settings.get', {})).resolves.toMatchObject({ ok: false, error: { kind: 'internal' } });
  });
});
