import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { Campaign, CampaignPage, PersonaWithTime } from '../../../shared/campaigns';
import { useServicesStack } from '../../support/services-stack';

describe('campaigns through the contract (real services, real SQLite)', () => {
  const stack = useServicesStack();
  const start = async (dataDir?: string) => {
    const { services, call, value, capture, close, dataDir: dir } = await stack({ dataDir });
    const changed = capture('campaigns.changed');
    return { services, call, value, changed, dataDir: dir, close };
  };

  it('create, autosave, get, list, search, duplicate and archive; each change is announced; drafts survive a restart', async () => {
    const { value, changed, close, dataDir } = await start();
    const account = await value<Account>('accounts.create', { name: 'Mia', platformAccountId: 'mia', transport: 'sandbox' });
    const draft = await value<Campaign>('campaigns.create', { name: 'Rentrée 🍂', type: 'ppv_offer' });
    expect(draft).toMatchObject({ state: 'draft', type: 'ppv_offer', accountId: null, archived: false });
    expect(changed).toEqual([{ id: draft.id }]);

    // Autosave as the operator types: a half-written template is kept exactly.
    await value('campaigns.update', { id: draft.id, accountId: account.id, template: 'Coucou {firstName|toi', priceMicros: 12_000_000 });
    await value('campaigns.update', { id: draft.id, audience: { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] } });
    expect(await value<Campaign>('campaigns.get', { id: draft.id })).toMatchObject({
      accountId: account.id, template: 'Coucou {firstName|toi', priceMicros: 12_000_000, audience: { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] }, state: 'draft',
    });

    const other = await value<Campaign>('campaigns.create', { name: 'Welcome', type: 'welcome', template: 'Welcome {name}!' });
    const copy = await value<Campaign>('campaigns.duplicate', { id: draft.id, name: 'Rentrée (copie)' });
    expect(copy).toMatchObject({ name: 'Rentrée (copie)', template: 'Coucou {firstName|toi', priceMicros: 12_000_000, state: 'draft' });
    await value('campaigns.archive', { id: other.id });
    expect(changed).toHaveLength(6);

    const page = await value<CampaignPage>('campaigns.list', {});
    expect(page.items.map((c) => c.id)).toEqual([copy.id, draft.id]);
    expect((await value<CampaignPage>('campaigns.list', { search: 'COUCOU' })).items.map((c) => c.id)).toEqual([copy.id, draft.id]);
    expect((await value<CampaignPage>('campaigns.list', { archived: true })).items.map((c) => c.name)).toEqual(['Welcome']);
    const first = await value<CampaignPage>('campaigns.list', { limit: 1 });
    expect(first.nextCursor).toBe(copy.id);
    expect((await value<CampaignPage>('campaigns.list', { limit: 1, cursor: first.nextCursor })).items.map((c) => c.id)).toEqual([draft.id]);

    await close();
    const again = await start(dataDir);
    expect(await again.value<Campaign>('campaigns.get', { id: draft.id })).toMatchObject({ template: 'Coucou {firstName|toi', audience: { all: [{ kind: 'spend_tier', tiers: ['whale'] }], any: [] } });
  });

  it('bad input and bad moves come back as typed errors, and nothing is lost', async () => {
    const { call, value, services, changed } = await start();
    expect(await call('campaigns.create', { name: '   ' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', code: 'invalid_input', issues: [{ path: ['name'], code: 'too_small' }] } });
    expect(await call('campaigns.create', { name: 'x', type: 'spam', priceMicros: 1.5 })).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    const c = await value<Campaign>('campaigns.create', { name: 'Keep me', template: 'Hi {name}' });
    expect(await call('campaigns.update', { id: c.id, variants: 9 })).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: ['variants'] }] } });
    expect(await call('campaigns.update', { id: c.id, secret: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('campaigns.get', { id: '019b0000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'campaign_not_found' } });
    expect(await call('campaigns.get', { id: "x' OR 1=1 --" })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    services.profile.db.prepare("UPDATE campaigns SET state = 'sending' WHERE id = ?").run(c.id);
    expect(await call('campaigns.update', { id: c.id, template: 'changed' })).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'campaign_state', params: { from: 'sending', to: 'edit' } } });
    expect(await call('campaigns.archive', { id: c.id })).toMatchObject({ ok: false, error: { code: 'campaign_state' } });
    expect(await value<Campaign>('campaigns.get', { id: c.id })).toMatchObject({ template: 'Hi {name}', archived: false });
    // Refused changes announce nothing.
    expect(changed).toEqual([{ id: c.id }]);
  });

  it('personas per creator account; the Sandbox keeps its own campaigns and personas', async () => {
    const { call, value } = await start();
    const account = await value<Account>('accounts.create', { name: 'Zoé', platformAccountId: 'zoe', transport: 'sandbox' });
    expect(await value<PersonaWithTime>('personas.get', { accountId: account.id })).toMatchObject({ persona: '', voice: '', updatedAt: null });
    const set = await value<PersonaWithTime>('personas.set', { accountId: account.id, persona: 'Danseuse à Paris', voice: 'douce, emoji 🌙' });
    expect(set).toMatchObject({ persona: 'Danseuse à Paris', voice: 'douce, emoji 🌙' });
    expect(await call('personas.set', { accountId: account.id, persona: 'x'.repeat(2001), voice: '' })).toMatchObject({ ok: false, error: { issues: [{ path: ['persona'], code: 'too_big' }] } });
    expect(await call('personas.get', { accountId: 'nobody' })).toMatchObject({ ok: false, error: { kind: 'not_found', code: 'account_not_found' } });
    const live = await value<Campaign>('campaigns.create', { name: 'Live one' });

    await value('settings.update', { sandboxMode: true });
    expect((await value<CampaignPage>('campaigns.list', {})).items).toEqual([]);
    expect(await call('campaigns.get', { id: live.id })).toMatchObject({ ok: false, error: { code: 'campaign_not_found' } });
    await value('campaigns.create', { name: 'Sandbox one' });
    await value('settings.update', { sandboxMode: false });
    expect((await value<CampaignPage>('campaigns.list', {})).items.map((c) => c.name)).toEqual(['Live one']);
    expect((await value<PersonaWithTime>('personas.get', { accountId: account.id })).persona).toBe('Danseuse à Paris');
  });
});
