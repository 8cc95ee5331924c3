import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CampaignStore } from '../../../main/campaigns/store';
import { openDatabase } from '../../../main/db/open';
import { Accounts } from '../../../main/messaging/accounts';
import { manualClock } from '../../../main/ports/clock';
import {
  CAMPAIGN_STATES,
  CAMPAIGN_TRANSITIONS,
  CAMPAIGN_TYPES,
  type Campaign,
  campaignCreateSchema,
  campaignUpdateSchema,
  EDITABLE_STATES,
  PERSONALIZATION_MODES,
  readinessIssues,
} from '../../../shared/campaigns';
import { accountCreateSchema } from '../../../shared/accounts';
import { AppError } from '../../../shared/result';
import { recordingLogger } from '../../support/ai';
import { useTempDirs } from '../../support/tmp';

const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
/** Any subset of the content fields, each a value the schema accepts (or may refuse: then the store is never called). */
const patchArb = (accountId: string) =>
  fc.record(
    {
      name: text(30),
      type: fc.constantFrom(...CAMPAIGN_TYPES),
      accountId: fc.constantFrom(null, accountId),
      audience: fc.option(fc.record({ all: fc.array(fc.constantFrom({ kind: 'expired' as const }, { kind: 'has_tag' as const, tag: 'vip' }), { maxLength: 3 }), any: fc.array(fc.record({ kind: fc.constant('new_subscribers' as const), withinDays: fc.integer({ min: 1, max: 3650 }) }), { maxLength: 2 }) }), { nil: null }),
      template: fc.oneof(text(60), fc.constantFrom('Hi {firstName|babe} 💕', 'Hey {nmae', '{{literal}} {name}')),
      priceMicros: fc.option(fc.nat({ max: 500_000_000 }), { nil: null }),
      mediaRefs: fc.array(fc.constantFrom('vault:1', 'vault:2', ' vault:3 '), { maxLength: 3 }),
      personalization: fc.constantFrom(...PERSONALIZATION_MODES),
      variants: fc.integer({ min: 1, max: 5 }),
      startAt: fc.option(fc.integer({ min: 0, max: 2 * Date.UTC(2026, 0, 1) }), { nil: null }),
    },
    { requiredKeys: [] },
  );
const completing = (accountId: string) => ({ kind: 'update' as const, patch: { accountId, audience: { all: [{ kind: 'has_tag' as const, tag: 'vip' }], any: [] }, template: 'Hi {name|you}', priceMicros: 3_000_000, mediaRefs: ['vault:1'], startAt: null } });
const actionArb = (accountId: string) =>
  fc.oneof(
    { weight: 3, arbitrary: patchArb(accountId).map((patch) => ({ kind: 'update' as const, patch })) },
    // A patch that completes the campaign, so `ready` and what follows are reached often.
    { weight: 1, arbitrary: fc.constant(completing(accountId)) },
    { weight: 2, arbitrary: fc.constantFrom(...CAMPAIGN_STATES).map((to) => ({ kind: 'transition' as const, to })) },
  );

const content = ({ state: _s, createdAt: _c, updatedAt: _u, stateChangedAt: _t, ...rest }: Campaign) => rest;

describe('campaign store against a model (fast-check, real SQLite file)', () => {
  const tempDir = useTempDirs();

  it('any sequence of autosaves and state moves leaves the stored campaign equal to the model; refusals change nothing', async () => {
    const db = openDatabase(join(tempDir(), 'model.db'));
    const clock = manualClock();
    const logger = recordingLogger();
    const account = await new Accounts({ db, clock, logger, secrets: null, defaultTransport: 'sandbox' }).create(accountCreateSchema.parse({ name: 'Mia', platformAccountId: 'mia' }));
    const store = new CampaignStore(db, clock, logger);
    // The interesting paths must be reached, not just allowed: counted across runs.
    const reached = { ready: 0, readyEdited: 0, refusedEdit: 0 };
    fc.assert(
      fc.property(fc.array(actionArb(account.id), { maxLength: 25 }), (actions) => {
        let model: Campaign = store.create(campaignCreateSchema.parse({ name: 'Model' }));
        for (const action of actions) {
          clock.advance(1);
          const before = store.get(model.id);
          if (action.kind === 'update') {
            const parsed = campaignUpdateSchema.safeParse({ id: model.id, ...action.patch });
            if (!parsed.success) continue;
            if (!EDITABLE_STATES.includes(model.state)) {
              reached.refusedEdit++;
              expect(() => store.update(parsed.data)).toThrow(AppError);
              expect(store.get(model.id)).toEqual(before);
              continue;
            }
            const given = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
            const touched = Object.keys(given).length > 1;
            if (model.state === 'ready' && touched) reached.readyEdited++;
            model = { ...model, ...given, state: model.state === 'ready' && touched ? 'draft' : model.state };
            expect(content(store.update(parsed.data))).toEqual(content(model));
          } else {
            const allowed = CAMPAIGN_TRANSITIONS[model.state].includes(action.to) && (action.to !== 'ready' || readinessIssues(model, clock.now()).length === 0);
            if (allowed) {
              model = { ...model, state: action.to };
              if (action.to === 'ready') reached.ready++;
              expect(store.transition(model.id, action.to).state).toBe(action.to);
            } else {
              expect(() => store.transition(model.id, action.to)).toThrow(AppError);
              expect(store.get(model.id)).toEqual(before);
            }
          }
          expect(content(store.get(model.id))).toEqual(content(model));
          expect(store.get(model.id).state).toBe(model.state);
        }
      }),
      {
        numRuns: 150,
        // One walk through every counted path (ready, edited while ready, refused once queued), so their coverage never rests on the seed.
        examples: [
          [
            [
              completing(account.id),
              { kind: 'transition', to: 'ready' },
              { kind: 'update', patch: { template: 'Hello {name|you}' } },
              { kind: 'transition', to: 'ready' },
              { kind: 'transition', to: 'queued' },
              { kind: 'update', patch: { name: 'Late edit' } },
            ],
          ],
        ],
      },
    );
    expect(reached.ready).toBeGreaterThan(0);
    expect(reached.readyEdited).toBeGreaterThan(0);
    expect(reached.refusedEdit).toBeGreaterThan(0);
    db.close();
  });
});
