import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODEL_CLASSES, type ProviderConfig, providerConfigSchema } from '../../../shared/ai';
import { moneyFor } from '../../../renderer/src/lib/money';
import { fromDraft, placeIssues, type ProviderDraft, toDraft } from '../../../renderer/src/pages/settings/providerDraft';

const EN = moneyFor('en');
const FR = moneyFor('fr');

const AZURE: ProviderConfig = {
  enabled: true,
  endpoint: 'https://agency.openai.azure.com',
  deployment: 'prod-4o',
  apiVersion: '2024-10-21',
  baseModel: 'gpt-4o',
  classModels: {},
  priceOverride: null,
  firstByteTimeoutMs: 15_000,
  totalTimeoutMs: 60_000,
};

const saved = (draft: ProviderDraft, base = AZURE, money = EN): ProviderConfig => {
  const built = fromDraft(draft, base, money);
  if ('errors' in built) throw new Error(`unexpected errors: ${JSON.stringify(built.errors)}`);
  return providerConfigSchema.parse(built.config);
};

const errorsOf = (draft: ProviderDraft) => {
  const built = fromDraft(draft, AZURE, EN);
  return 'errors' in built ? built.errors : {};
};

const withClass = (draft: ProviderDraft, cls: 'premium' | 'standard' | 'economy', patch: Partial<ProviderDraft['classes']['standard']>) => ({
  ...draft,
  classes: { ...draft.classes, [cls]: { ...draft.classes[cls], ...patch } },
});

describe('provider draft ⇄ config, per-class deployments', () => {
  it('starts every class without an entry on the main deployment, with empty fields', () => {
    const draft = toDraft(AZURE, EN);
    for (const cls of MODEL_CLASSES) {
      expect(draft.classes[cls]).toEqual({ own: false, deployment: '', baseModel: '', priceInput: '', priceCached: '', priceOutput: '' });
    }
    expect(saved(draft)).toEqual(AZURE);
  });

  it('saves a class with its own deployment, base model and price override, and reads it back', () => {
    const draft = withClass(toDraft(AZURE, EN), 'standard', {
      own: true, deployment: ' prod-mini ', baseModel: 'gpt-4o-mini', priceInput: '0.15', priceCached: '$0.075', priceOutput: '0.6',
    });
    const config = saved(draft);
    expect(config.classModels).toEqual({
      standard: {
        deployment: 'prod-mini',
        baseModel: 'gpt-4o-mini',
        priceOverride: { inputPerMtok: 150_000, cachedInputPerMtok: 75_000, outputPerMtok: 600_000 },
      },
    });
    expect(toDraft(config, EN).classes.standard).toEqual({
      own: true, deployment: 'prod-mini', baseModel: 'gpt-4o-mini', priceInput: '0.15', priceCached: '0.075', priceOutput: '0.60',
    });
    // The main deployment and its price are untouched.
    expect({ ...config, classModels: {} }).toEqual(AZURE);
  });

  it('reads and writes prices the French way for a French operator', () => {
    const draft = { ...toDraft(AZURE, FR), priceInput: '2,5', priceCached: '1,25', priceOutput: '0.000001' };
    const config = saved(draft, AZURE, FR);
    expect(config.priceOverride).toEqual({ inputPerMtok: 2_500_000, cachedInputPerMtok: 1_250_000, outputPerMtok: 1 });
    expect(toDraft(config, FR)).toMatchObject({ priceInput: '2,50', priceCached: '1,25', priceOutput: '0,000001' });
    // The same comma in English is a thousands separator out of place: refused, not misread.
    const built = fromDraft(draft, AZURE, EN);
    expect('errors' in built && built.errors).toEqual({ priceInput: 'dollars', priceCached: 'dollars' });
  });

  it('saves a class without a price override as an entry priced by its base model', () => {
    const config = saved(withClass(toDraft(AZURE, EN), 'economy', { own: true, deployment: 'prod-mini', baseModel: 'gpt-4o-mini' }));
    expect(config.classModels).toEqual({ economy: { deployment: 'prod-mini', baseModel: 'gpt-4o-mini' } });
  });

  it('drops the entry of a class put back on the main deployment, whatever its fields still hold', () => {
    const base: ProviderConfig = {
      ...AZURE,
      classModels: { premium: { deployment: 'prod-4o-ptu', baseModel: 'gpt-4o' }, standard: { deployment: 'prod-mini', baseModel: 'gpt-4o-mini' } },
    };
    const draft = withClass(toDraft(base, EN), 'standard', { own: false });
    expect(draft.classes.standard.deployment).toBe('prod-mini');
    expect(saved(draft, base).classModels).toEqual({ premium: { deployment: 'prod-4o-ptu', baseModel: 'gpt-4o' } });
  });

  it('names the class field that cannot be read, and checks nothing on a class left on the main deployment', () => {
    const draft = toDraft(AZURE, EN);
    expect(errorsOf(withClass(draft, 'standard', { own: true, baseModel: 'gpt-4o-mini' }))).toEqual({ 'standard.deployment': 'required' });
    expect(errorsOf(withClass(draft, 'premium', { own: true, deployment: ' ', baseModel: '' }))).toEqual({
      'premium.deployment': 'required',
      'premium.baseModel': 'required',
    });
    const named = { own: true, deployment: 'prod-mini', baseModel: 'gpt-4o-mini' };
    expect(errorsOf(withClass(draft, 'economy', { ...named, priceInput: '0.15' }))).toEqual({ 'economy.price': 'priceAllOrNone' });
    expect(errorsOf(withClass(draft, 'economy', { ...named, priceInput: '0.15', priceCached: 'cheap', priceOutput: '0.6' }))).toEqual({
      'economy.priceCached': 'dollars',
    });
    expect(errorsOf(withClass(draft, 'economy', { deployment: '', priceInput: 'x' }))).toEqual({});
    // The main price override keeps its own keys.
    expect(errorsOf({ ...draft, priceInput: '1' })).toEqual({ price: 'priceAllOrNone' });
  });

  it('round-trips any valid set of class entries', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,30}$/);
    const micros = fc.integer({ min: 0, max: 5_000_000_000 });
    const price = fc.record({ inputPerMtok: micros, cachedInputPerMtok: micros, outputPerMtok: micros });
    const entry = fc.record(
      { deployment: name, baseModel: name, priceOverride: price },
      { requiredKeys: ['deployment', 'baseModel'] },
    );
    const classModels = fc.record({ premium: entry, standard: entry, economy: entry }, { requiredKeys: [] });
    fc.assert(
      fc.property(classModels, (models) => {
        const config = { ...AZURE, classModels: models };
        expect(saved(toDraft(config, EN))).toEqual(config);
        expect(saved(toDraft(config, FR), AZURE, FR)).toEqual(config);
      }),
    );
  });
});

describe('placing main’s issues', () => {
  it('puts class issues next to the class field, the rest where they were', () => {
    const issue = (path: (string | number)[], code = 'too_small') => ({ path, code, params: {} });
    const { byField, general } = placeIssues([
      issue(['config', 'classModels', 'standard', 'deployment'], 'too_big'),
      issue(['config', 'classModels', 'economy', 'baseModel']),
      issue(['config', 'classModels', 'premium', 'priceOverride', 'outputPerMtok']),
      issue(['config', 'endpoint'], 'invalid_format'),
      issue(['config', 'priceOverride', 'inputPerMtok']),
      issue(['config', 'classModels'], 'invalid_key'),
      issue(['config', 'classModels', 'cheapest', 'deployment'], 'invalid_key'),
      issue(['provider'], 'invalid_value'),
    ]);
    expect(byField).toEqual({
      'standard.deployment': [issue(['config', 'classModels', 'standard', 'deployment'], 'too_big')],
      'economy.baseModel': [issue(['config', 'classModels', 'economy', 'baseModel'])],
      'premium.price': [issue(['config', 'classModels', 'premium', 'priceOverride', 'outputPerMtok'])],
      endpoint: [issue(['config', 'endpoint'], 'invalid_format')],
      price: [issue(['config', 'priceOverride', 'inputPerMtok'])],
    });
    expect(general).toEqual([
      issue(['config', 'classModels'], 'invalid_key'),
      issue(['config', 'classModels', 'cheapest', 'deployment'], 'invalid_key'),
      issue(['provider'], 'invalid_value'),
    ]);
  });
});
