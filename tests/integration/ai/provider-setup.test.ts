import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../shared/ai';
import { AZURE_UPLIFT_PERCENT, PriceBook } from '../../../main/ai/pricing';
import { type AiRig, configsFor, prompt, useAiRig } from '../../support/ai';

type Reply = { ok: boolean; value?: unknown; error?: { code: string; issues?: { path: (string | number)[]; params: Record<string, unknown> }[] } };

describe('provider settings Save refuses prices it cannot stand behind', () => {
  const startRig = useAiRig();
  let rig: AiRig;
  const update = async (config: ProviderConfig, extra: Record<string, unknown> = {}) =>
    (await rig.services.registry.dispatch('providers.update', { provider: 'azure', config, ...extra })) as Reply;
  const rules = (r: Reply) => (r.error?.issues ?? []).map((i) => [i.path.join('.'), i.params.rule]);

  it('costs a regional or data zone Azure deployment 10 % above a global one, from the price table', async () => {
    rig = await startRig({ enable: ['azure'] });
    const azure = configsFor(rig.sandbox).azure;
    const usage = { usage: { promptTokens: 10_000, cachedTokens: 0, completionTokens: 2_000 } };
    const costAs = async (deploymentType: ProviderConfig['deploymentType']) => {
      expect((await update({ ...azure, deploymentType })).ok).toBe(true);
      rig.sandbox.script('azure', [{ kind: 'ok', reply: usage }]);
      const r = (await rig.services.registry.dispatch('ai.complete', prompt())) as { ok: true; value: { costMicros: number } };
      return r.value.costMicros;
    };
    // gpt-4o Global: 10 000 × $2.50/M + 2 000 × $10/M = 25 000 + 20 000 µ$.
    expect(await costAs(undefined)).toBe(45_000);
    expect(await costAs('global')).toBe(45_000);
    // Regional and Data Zone: $2.75/M and $11/M, so 27 500 + 22 000 µ$ (before, 45 000: 9 % low).
    expect(await costAs('regional')).toBe(49_500);
    expect(await costAs('data_zone')).toBe(49_500);
  });

  it('applies the uplift to table prices only, never to an override', () => {
    const book = new PriceBook();
    const at = new Date('2026-11-01T00:00:00Z');
    expect(book.lookup('azure', 'gpt-4o', null, at, 'regional')).toMatchObject({ inputPerMtok: 2_750_000, cachedInputPerMtok: 1_375_000, outputPerMtok: 11_000_000, source: 'table' });
    expect(book.lookup('azure', 'gpt-4o', null, at, 'global').inputPerMtok).toBe(2_500_000);
    // OpenAI has no deployment types: the setting means nothing there.
    expect(book.lookup('openai', 'gpt-4o', null, at, 'regional').inputPerMtok).toBe(2_500_000);
    const override = { inputPerMtok: 1_000_000, cachedInputPerMtok: 500_000, outputPerMtok: 4_000_000 };
    expect(book.lookup('azure', 'gpt-4o', override, at, 'regional')).toMatchObject({ ...override, source: 'override' });
    expect(AZURE_UPLIFT_PERCENT).toEqual({ global: 100, data_zone: 110, regional: 110 });
  });

  it('refuses an unknown base model with no price unless the operator accepts it unpriced', async () => {
    rig = await startRig({ enable: ['azure'] });
    const azure = { ...configsFor(rig.sandbox).azure, baseModel: 'contoso-finetune-7b' };
    const refused = await update(azure);
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('invalid_input');
    expect(rules(refused)).toEqual([['config.baseModel', 'unpriced']]);
    // Nothing was written.
    const list = (await rig.services.registry.dispatch('providers.list', {})) as { value: { providers: { id: string; config: ProviderConfig }[] } };
    expect(list.value.providers.find((p) => p.id === 'azure')!.config.baseModel).toBe('gpt-4o');

    // A class's own unknown base model is refused at its own field.
    const classUnknown = await update({ ...configsFor(rig.sandbox).azure, classModels: { economy: { deployment: 'mine', baseModel: 'mystery-1' } } });
    expect(rules(classUnknown)).toEqual([['config.classModels.economy.baseModel', 'unpriced']]);

    expect((await update({ ...azure, acceptUnpriced: true })).ok).toBe(true);
    const priced = { ...azure, priceOverride: { inputPerMtok: 300_000, cachedInputPerMtok: 150_000, outputPerMtok: 1_200_000 } };
    expect((await update(priced)).ok).toBe(true);
  });

  it('asks for confirmation of a price over 10× or under 1/10 of the table’s', async () => {
    rig = await startRig({ enable: ['azure'] });
    const azure = configsFor(rig.sandbox).azure;
    // gpt-4o lists $2.50 input: $30 is 12× (a typo for $3.00?), $0.20 is 1/12.5.
    for (const inputPerMtok of [30_000_000, 200_000]) {
      const config = { ...azure, priceOverride: { inputPerMtok, cachedInputPerMtok: 100_000, outputPerMtok: 10_000_000 } };
      const refused = await update(config);
      expect(rules(refused), String(inputPerMtok)).toEqual([['config.priceOverride', 'price_far_off']]);
      expect(refused.error?.issues?.[0]?.params).toMatchObject({ inputPerMtok: 2_500_000, outputPerMtok: 10_000_000 });
      expect((await update(config, { confirmPrice: true })).ok).toBe(true);
    }
    // Within ten times either way: no question asked.
    expect((await update({ ...azure, priceOverride: { inputPerMtok: 24_000_000, cachedInputPerMtok: 0, outputPerMtok: 1_000_001 } })).ok).toBe(true);
  });

  it('saves the key typed in the card with the settings, in one Save', async () => {
    rig = await startRig({ enable: ['azure'], keys: {} });
    const before = (await rig.services.registry.dispatch('providers.list', {})) as { value: { providers: { id: string; keySet: boolean }[] } };
    expect(before.value.providers.find((p) => p.id === 'azure')!.keySet).toBe(false);
    const saved = (await update(configsFor(rig.sandbox).azure, { apiKey: 'azure-key-typed-0001' })) as { ok: true; value: { keySet: boolean; configured: boolean } };
    expect(saved.value).toMatchObject({ keySet: true, configured: true });
    expect(JSON.stringify(saved)).not.toContain('azure-key-typed-0001');
  });
});
