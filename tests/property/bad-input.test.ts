import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/ports/logger';
import { createServices, type Services } from '../../main/services';
import { methodNames, methods } from '../../shared/contract';
import { useTempDirs } from '../support/tmp';

/** Everything the database holds, so "changes nothing" is checked on the data, not on a flag. */
function snapshot(db: Services['db']): string {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const dump = tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort()]);
  return createHash('sha256').update(JSON.stringify(dump)).digest('hex');
}

describe('random bad input to every method', () => {
  const tempDir = useTempDirs();

  it.each(methodNames)('%s answers invalid_input and changes nothing', async (method) => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger });
    await services.registry.dispatch('settings.update', { operatorName: 'Before' });
    const before = snapshot(services.db);
    const events: unknown[] = [];
    services.events.subscribe((e) => events.push(e));

    // Anything at all, kept only when the method's own schema rejects it.
    const badInput = fc.anything({ withObjectString: true, withNullPrototype: true }).filter((v) => !methods[method].input.safeParse(v).success);
    await fc.assert(
      fc.asyncProperty(badInput, async (input) => {
        const result = await services.registry.dispatch(method, input);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.kind).toBe('invalid_input');
          expect(result.error.code).toBe('invalid_input');
          expect(result.error.params.method).toBe(method);
          for (const issue of result.error.issues ?? []) expect(Array.isArray(issue.path)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(snapshot(services.db)).toBe(before);
    expect(events).toEqual([]);
    await services.close();
  });

  it('settings.update rejects near-miss objects too', async () => {
    const services = await createServices({ dataDir: tempDir(), host: 'web', logger: silentLogger });
    const before = snapshot(services.db);
    const nearMiss = fc.oneof(
      fc.record({ theme: fc.string().filter((s) => !['light', 'dark', 'system'].includes(s)) }),
      fc.record({ language: fc.string().filter((s) => !['en', 'fr'].includes(s)) }),
      fc.record({ operatorName: fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ minLength: 81 }).filter((s) => s.trim().length > 80)) }),
      fc.record({ operatorName: fc.constant('Ok'), unknownKey: fc.anything() }),
      fc.constant({}),
    );
    await fc.assert(
      fc.asyncProperty(nearMiss, async (input) => {
        expect(await services.registry.dispatch('settings.update', input)).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
      }),
      { numRuns: 300 },
    );
    expect(snapshot(services.db)).toBe(before);
    await services.close();
  });
});
