import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignStore } from '../../../main/campaigns/store';
import { Personas } from '../../../main/campaigns/personas';
import { type Db, openDatabase } from '../../../main/db/open';
import { Accounts } from '../../../main/messaging/accounts';
import { manualClock } from '../../../main/ports/clock';
import { CAMPAIGN_STATES, CAMPAIGN_TRANSITIONS, type CampaignState, campaignCreateSchema, campaignListSchema, campaignUpdateSchema } from '../../../shared/campaigns';
import { AppError } from '../../../shared/result';
import { recordingLogger } from '../../support/ai';
import { useTempDirs } from '../../support/tmp';

/** The error a call throws, for asserting on its kind, code and issues. */
const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};

describe('campaign store (real SQLite file)', () => {
  const tempDir = useTempDirs();
  const open = async () => {
    const dir = tempDir();
    const path = join(dir, 'c.db');
    const db = openDatabase(path);
    const clock = manualClock();
    const logger = recordingLogger();
    const accounts = new Accounts({ db, clock, logger, secrets: null, defaultTransport: 'sandbox' });
    const mia = await accounts.create({ name: 'Mia', platformAccountId: 'mia', limits: { perMinute: 10, minSpacingSeconds: 3, burst: 1 }, colour: 'rose' });
    const store = new CampaignStore(db, clock, logger);
    const create = (input: Record<string, unknown>) => store.create(campaignCreateSchema.parse(input));
    const update = (input: Record<string, unknown>) => store.update(campaignUpdateSchema.parse(input));
    const list = (input: Record<string, unknown> = {}) => store.list(campaignListSchema.parse(input));
    const complete = () => create({ name: 'Welcome wave', accountId: mia.id, audience: { all: [{ kind: 'new_subscribers', withinDays: 30 }], any: [] }, template: 'Hi {firstName|babe} 💕' });
    return { db, path, clock, accounts, mia, store, create, update, list, complete };
  };
  const force = (db: Db, id: string, state: CampaignState) => db.prepare('UPDATE campaigns SET state = ? WHERE id = ?').run(state, id);

  it('creates a draft from a name alone, reads it back after a reopen, and tells an unknown id apart', async () => {
    const { db, path, create, clock } = await open();
    const c = create({ name: 'Été 🌞' });
    expect(c).toMatchObject({ name: 'Été 🌞', type: 'mass_message', state: 'draft', accountId: null, audience: null, template: '', personalization: 'template', variants: 2, archived: false, createdAt: clock.now() });
    db.close();
    const reopened = new CampaignStore(openDatabase(path), clock, recordingLogger());
    expect(reopened.get(c.id)).toEqual(c);
    expect(errorOf(() => reopened.get('00000000-0000-7000-8000-000000000000'))).toMatchObject({ kind: 'not_found', code: 'campaign_not_found' });
  });

  it('autosaves partial drafts: only the fields given change, an incomplete or broken template is kept as typed', async () => {
    const { create, update, clock } = await open();
    const c = create({ name: 'PPV Friday', type: 'ppv_offer' });
    clock.advance(1000);
    const a = update({ id: c.id, template: 'Hey {nmae' });
    expect(a).toMatchObject({ name: 'PPV Friday', type: 'ppv_offer', template: 'Hey {nmae', state: 'draft', updatedAt: c.createdAt + 1000 });
    const b = update({ id: c.id, priceMicros: 9_990_000, mediaRefs: ['vault:123'], audience: { all: [{ kind: 'has_tag', tag: 'vip' }, { kind: 'spend_tier', tiers: ['big', 'whale'] }], any: [] } });
    expect(b).toMatchObject({ template: 'Hey {nmae', priceMicros: 9_990_000, mediaRefs: ['vault:123'], audience: { all: [{ kind: 'has_tag', tag: 'vip' }, { kind: 'spend_tier', tiers: ['big', 'whale'] }], any: [] } });
    // Clearing a field is an explicit null, not an omission.
    expect(update({ id: c.id, audience: null }).audience).toBeNull();
    expect(() => campaignUpdateSchema.parse({ id: c.id, priceMicros: 1.5 })).toThrow();
    expect(() => campaignUpdateSchema.parse({ id: c.id, variants: 5 })).toThrow();
  });

  it('ready requires completeness: what is missing comes back as field issues, and nothing moves', async () => {
    const { create, update, store, mia, clock, accounts } = await open();
    const c = create({ name: 'Offer', type: 'ppv_offer', template: 'Hi {nmae}', startAt: clock.now() - 1 });
    const err = errorOf(() => store.transition(c.id, 'ready'));
    expect(err).toMatchObject({ kind: 'invalid_input', code: 'campaign_incomplete' });
    expect(err.issues!.map((i) => [i.path[0], i.params.rule])).toEqual([
      ['accountId', 'required'],
      ['audience', 'required'],
      ['template', 'template'],
      ['priceMicros', 'ppv_price_required'],
      ['mediaRefs', 'ppv_media_required'],
      ['startAt', 'start_in_past'],
    ]);
    expect(err.issues![2]!.params).toMatchObject({ problem: 'unknown_variable', start: 3, end: 9, suggestion: 'name' });
    expect(store.get(c.id).state).toBe('draft');

    update({ id: c.id, accountId: mia.id, audience: { all: [], any: [] }, template: 'Hi {name}', priceMicros: 5_000_000, mediaRefs: ['m1'], startAt: clock.now() + 60_000 });
    expect(store.transition(c.id, 'ready').state).toBe('ready');

    // Restricted words in the template's text or fallbacks are caught before anything is generated.
    const r = create({ name: 'Risky', accountId: mia.id, audience: { all: [], any: [] }, template: 'Hi {name|pay me on PayPal}' });
    expect(errorOf(() => store.transition(r.id, 'ready')).issues).toEqual([{ path: ['template'], code: 'custom', params: { rule: 'restricted_word', word: 'paypal' } }]);

    // An account removed since is caught at the moment of ready.
    const d = create({ name: 'Gone', accountId: mia.id, audience: { all: [], any: [] }, template: 'x' });
    await accounts.remove(mia.id);
    expect(errorOf(() => store.transition(d.id, 'ready')).issues).toEqual([{ path: ['accountId'], code: 'custom', params: { rule: 'account_missing' } }]);
  });

  it('editing a ready campaign sends it back to draft; once queued it can no longer be edited', async () => {
    const { complete, update, store, db } = await open();
    const c = complete();
    store.transition(c.id, 'ready');
    expect(update({ id: c.id, name: 'Renamed' })).toMatchObject({ state: 'draft', name: 'Renamed' });
    store.transition(c.id, 'ready');
    store.transition(c.id, 'queued');
    expect(errorOf(() => update({ id: c.id, template: 'late' }))).toMatchObject({ kind: 'conflict', code: 'campaign_state', params: { from: 'queued', to: 'edit' } });
    expect(store.get(c.id).template).toBe('Hi {firstName|babe} 💕');
    force(db, c.id, 'done');
    expect(errorOf(() => update({ id: c.id, name: 'x' })).code).toBe('campaign_state');
  });

  it('the transition table: every allowed move succeeds, every other gives a typed campaign_state error and changes nothing', async () => {
    const { complete, store, db } = await open();
    for (const from of CAMPAIGN_STATES) {
      for (const to of CAMPAIGN_STATES) {
        const c = complete();
        force(db, c.id, from);
        if (CAMPAIGN_TRANSITIONS[from].includes(to)) {
          expect(store.transition(c.id, to).state, `${from} → ${to}`).toBe(to);
        } else {
          expect(errorOf(() => store.transition(c.id, to)), `${from} → ${to}`).toMatchObject({ kind: 'conflict', code: 'campaign_state', params: { id: c.id, from, to } });
          expect(store.get(c.id).state).toBe(from);
        }
      }
    }
  });

  it('the table itself: done and cancelled are final, every state is reachable from draft, sending and paused go both ways', () => {
    expect(CAMPAIGN_TRANSITIONS.done).toEqual([]);
    expect(CAMPAIGN_TRANSITIONS.cancelled).toEqual([]);
    const seen = new Set<CampaignState>(['draft']);
    const queue: CampaignState[] = ['draft'];
    while (queue.length) {
      for (const next of CAMPAIGN_TRANSITIONS[queue.shift()!]) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    expect([...seen].sort()).toEqual([...CAMPAIGN_STATES].sort());
    expect(CAMPAIGN_TRANSITIONS.sending).toContain('paused');
    expect(CAMPAIGN_TRANSITIONS.paused).toContain('sending');
    for (const s of CAMPAIGN_STATES) expect(CAMPAIGN_TRANSITIONS[s], 'no self-loop').not.toContain(s);
  });

  it('duplicate: a new draft with the same content, without recipients, state or archive flag', async () => {
    const { complete, store, db, clock } = await open();
    const c = complete();
    store.transition(c.id, 'ready');
    store.transition(c.id, 'queued');
    db.prepare("INSERT INTO campaign_recipients (campaign_id, fan_id, status, updated_at) VALUES (?, 'fan-1', 'queued', 1)").run(c.id);
    clock.advance(5);
    const copy = store.duplicate(c.id);
    expect(copy.id).not.toBe(c.id);
    const content = ({ id: _i, state: _s, createdAt: _c, updatedAt: _u, stateChangedAt: _t, ...rest }: typeof c) => rest;
    expect(content(copy)).toEqual(content(store.get(c.id)));
    expect(copy).toMatchObject({ state: 'draft', archived: false, createdAt: clock.now() });
    expect(db.prepare('SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?').pluck().get(copy.id)).toBe(0);
    expect(store.duplicate(c.id, 'Copie de Welcome').name).toBe('Copie de Welcome');
  });

  it('archive hides from the default list, shows in the archive, comes back; refused while on its way out', async () => {
    const { complete, store, list } = await open();
    const a = complete();
    const b = complete();
    expect(store.archive(a.id, true).archived).toBe(true);
    expect(list().items.map((c) => c.id)).toEqual([b.id]);
    expect(list({ archived: true }).items.map((c) => c.id)).toEqual([a.id]);
    store.archive(a.id, false);
    expect(list().items.map((c) => c.id)).toEqual([b.id, a.id]);
    store.transition(b.id, 'ready');
    store.transition(b.id, 'queued');
    expect(errorOf(() => store.archive(b.id, true))).toMatchObject({ code: 'campaign_state', params: { from: 'queued', to: 'archive' } });
  });

  it('search matches name and template, case-insensitively, with % and _ taken literally; filters by state; pages without gaps', async () => {
    const { create, list, store } = await open();
    const summer = create({ name: 'Summer sale', template: 'Hot offer {name}' });
    const winter = create({ name: 'Winter', template: 'Cozy 50% off ❄️' });
    const other = create({ name: 'Plain_name', template: 'nothing' });
    expect(list({ search: 'SUM' }).items.map((c) => c.id)).toEqual([summer.id]);
    expect(list({ search: 'hot off' }).items.map((c) => c.id)).toEqual([summer.id]);
    expect(list({ search: '50%' }).items.map((c) => c.id)).toEqual([winter.id]);
    expect(list({ search: '%' }).items.map((c) => c.id)).toEqual([winter.id]);
    expect(list({ search: '_' }).items.map((c) => c.id)).toEqual([other.id]);
    expect(list({ search: '❄️' }).items.map((c) => c.id)).toEqual([winter.id]);
    // Case and accents fold beyond ASCII, on both sides.
    const ete = create({ name: 'Soldes d’ÉTÉ', template: 'Ça te dit, {firstName|chérie} ?' });
    expect(list({ search: 'ete' }).items.map((c) => c.id)).toEqual([ete.id]);
    expect(list({ search: 'été' }).items.map((c) => c.id)).toEqual([ete.id]);
    expect(list({ search: 'CHERIE' }).items.map((c) => c.id)).toEqual([ete.id]);
    expect(list({ search: 'ca te' }).items.map((c) => c.id)).toEqual([ete.id]);
    store.archive(ete.id, true);
    store.transition(store.update({ id: winter.id }).id, 'cancelled');
    expect(list({ states: ['cancelled'] }).items.map((c) => c.id)).toEqual([winter.id]);
    expect(list({ states: ['draft', 'ready'] }).items.map((c) => c.id)).toEqual([other.id, summer.id]);

    // Same millisecond on purpose: the order is creation order even where UUIDv7s tie on time.
    const bulk = Array.from({ length: 7 }, (_, i) => create({ name: `Bulk ${i}` }).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = list({ limit: 3, ...(cursor ? { cursor } : {}) });
      // Autosave while paging moves updated_at, never the order.
      if (page.items[0]) store.update({ id: page.items[0].id, template: 'typing…' });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(seen).toEqual([...bulk.reverse(), other.id, winter.id, summer.id]);
  });

  it('personas: one per creator account, empty until set, gone with its account', async () => {
    const { db, clock, mia, accounts } = await open();
    const personas = new Personas(db, clock);
    expect(personas.get(mia.id)).toEqual({ accountId: mia.id, persona: '', voice: '', updatedAt: null });
    personas.set({ accountId: mia.id, persona: 'Yoga teacher from Lyon, 27', voice: 'playful, lowercase, lots of 🌸' });
    expect(personas.get(mia.id)).toMatchObject({ persona: 'Yoga teacher from Lyon, 27', voice: 'playful, lowercase, lots of 🌸', updatedAt: clock.now() });
    personas.set({ accountId: mia.id, persona: 'p2', voice: '' });
    expect(personas.get(mia.id).persona).toBe('p2');
    expect(errorOf(() => personas.set({ accountId: 'no-such', persona: '', voice: '' }))).toMatchObject({ code: 'account_not_found' });
    await accounts.remove(mia.id);
    expect(db.prepare('SELECT count(*) FROM account_personas').pluck().get()).toBe(0);
  });
});
