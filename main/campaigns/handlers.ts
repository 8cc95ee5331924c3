import type { CompletionRequest } from '../../shared/ai';
import type { campaignsMethods } from '../../shared/contract/campaigns';
import type { SendProgress } from '../../shared/sending';
import type { Price } from '../ai/pricing';
import type { SendQueue } from '../messaging/queue';
import { Audiences } from '../audiences';
import type { Db } from '../db/open';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Outbox } from '../outbox';
import { Personas } from './personas';
import { previewCampaign } from './preview';
import { Recipients } from './recipients';
import { type AiWait, CampaignRunner, type RunnerDeps } from './runner';
import { CampaignSending } from './sending';
import { CampaignStore } from './store';
import type { LimiterTimers } from '../limits';
import type { CampaignUpdate } from '../../shared/campaigns';

export interface Campaigns {
  db: Db;
  store: CampaignStore;
  audiences: Audiences;
  personas: Personas;
  recipients: Recipients;
  runner: CampaignRunner;
  sending: CampaignSending;
}

export interface CampaignsOptions {
  db: () => Db;
  clock: Clock;
  logger: Logger;
  /** The active profile's AI service (the orchestrator behind it): costs land on the campaign. */
  ai: RunnerDeps['ai'];
  operatorId: () => string;
  /** The active profile's send queue. */
  queue: () => SendQueue;
  events: EventBus;
  /** The active profile's outbox, where a campaign's end is announced, and its relay's wake-up. */
  ends?: { outbox: () => Outbox; wake: () => void };
  /** How long generation waits for an unreachable AI provider, and the timers it waits on (tests fire them by hand). */
  generation?: { aiWait?: Partial<AiWait>; timers?: LimiterTimers };
}

export type CampaignsFor = (() => Campaigns) & {
  /** The profile opened (start, Sandbox switch): ready campaigns with fans still pending resume generation. */
  resume(): void;
  /** Every run stops (and no wait stays armed); for the host's close. */
  close(): Promise<void>;
};

/**
 * One store per open database, built on first use: switching Sandbox mode swaps the database,
 * and a closed profile's store is dropped with its Db (weakly held).
 */
/** The relay would otherwise see the end only at its next poll; the wake-up runs after the move's transaction commits (the relay's pass is async). */
const announcing = (outbox: Outbox, wake: () => void): Outbox => ({
  ...outbox,
  enqueue(tx, message) {
    const added = outbox.enqueue(tx, message);
    if (added) queueMicrotask(wake);
    return added;
  },
});

export function campaignsFor(options: CampaignsOptions): CampaignsFor {
  const built = new WeakMap<Db, Campaigns>();
  // Runners of databases still open, for close(); a closed profile's runner ends its own runs (its requests are cancelled, its waits see the closed file).
  const runners = new Set<CampaignRunner>();
  const get = () => {
    const db = options.db();
    let c = built.get(db);
    if (!c) {
      const store = new CampaignStore(db, options.clock, options.logger, options.ends && announcing(options.ends.outbox(), options.ends.wake));
      const audiences = new Audiences(db, options.clock);
      const personas = new Personas(db, options.clock);
      const recipients = new Recipients(db, options.clock);
      const { clock, logger, ai, operatorId, events } = options;
      const runner = new CampaignRunner({ db, clock, logger, store, recipients, audiences, personas, ai, operatorId, onProgress: (p) => events.emit('campaigns.progress', p), ...options.generation });
      for (const r of runners) if (!r.open) runners.delete(r);
      runners.add(runner);
      const sending = new CampaignSending({ db, clock, store, recipients, runner, queue: options.queue });
      c = { db, store, audiences, personas, recipients, runner, sending };
      built.set(db, c);
    }
    return c;
  };
  return Object.assign(get, {
    resume: () => void get().runner.resumePending(),
    close: async () => {
      const all = [...runners];
      runners.clear();
      await Promise.all(all.map((r) => r.close()));
    },
  });
}

const touchesMessages = (input: CampaignUpdate): boolean =>
  (['type', 'accountId', 'template', 'personalization', 'variants'] as const).some((k) => input[k] !== undefined);

/**
 * Recipients follow the queue: each batch of send steps syncs the campaigns (jobs) it touched.
 * Wired to the queue's progress hook, not to the EventBus: the bus's listeners are the open
 * windows (services asks it whether anyone would see a notification).
 */
export function campaignSendFollower(campaigns: () => Campaigns, events: EventBus): (changes: readonly SendProgress[]) => void {
  return (changes) => {
    for (const jobId of new Set(changes.map((s) => s.jobId))) {
      const c = campaigns();
      // A quick send's job, or a send of the profile not in view: its campaign catches up at its next status.
      if (!c.store.exists(jobId)) continue;
      const moved = c.sending.sync(jobId);
      const st = c.sending.status(jobId);
      const settled = st.counts.sent + st.counts.failed + st.counts.unknown;
      events.emit('campaigns.progress', { id: jobId, phase: 'send', done: settled, total: settled + st.counts.queued, fromTemplate: st.fromTemplate, fallback: null, finished: st.counts.queued === 0 });
      if (moved) events.emit('campaigns.changed', { id: moved.id });
    }
  };
}

/** `campaigns.costs` is answered by the costs capability; these are the rest of the fragment. */
export interface CampaignsHandlerDeps {
  clock: Clock;
  /** The price the active profile's routing would bill a request at (orchestrator.priceFor). */
  price: (request: CompletionRequest) => Price | null;
  /** Spend so far per campaign, from the active profile's cost rollups. */
  costMicros: (campaignIds: readonly string[]) => Map<string, number>;
}

export function campaignsHandlers(campaigns: () => Campaigns, events: EventBus, deps: CampaignsHandlerDeps): Omit<HandlersFor<typeof campaignsMethods>, 'campaigns.costs'> {
  const changed = <T extends { id: string }>(c: T): T => {
    events.emit('campaigns.changed', { id: c.id });
    return c;
  };
  return {
    'campaigns.create': (input) => changed(campaigns().store.create(input)),
    'campaigns.list': (query) => campaigns().store.list(query),
    'campaigns.get': ({ id }) => campaigns().store.get(id),
    // What the messages are made of changed: a run writing the old ones stops first, then the messages not yet queued go back to pending.
    'campaigns.update': async (input) => {
      const c = campaigns();
      if (touchesMessages(input)) await c.runner.stop(input.id);
      const { campaign, stale } = c.store.updateWith(input);
      if (stale) c.recipients.resetStale(input.id);
      return changed(campaign);
    },
    'campaigns.duplicate': ({ id, name }) => changed(campaigns().store.duplicate(id, name)),
    'campaigns.archive': ({ id, archived }) => changed(campaigns().store.archive(id, archived)),
    'campaigns.preview': ({ id, limit }) => {
      const c = campaigns();
      return previewCampaign({ db: c.db, clock: deps.clock, store: c.store, personas: c.personas, audiences: c.audiences, price: deps.price }, id, limit);
    },
    'campaigns.generate': ({ id }) => changed(campaigns().runner.generate(id)),
    'campaigns.approve': ({ id }) => changed(campaigns().sending.approve(id)),
    'campaigns.pause': ({ id }) => changed(campaigns().sending.pause(id)),
    'campaigns.resume': ({ id }) => changed(campaigns().sending.resume(id)),
    'campaigns.cancel': async ({ id }) => changed(await campaigns().sending.cancel(id)),
    'campaigns.status': ({ id }) => campaigns().sending.status(id),
    'personas.get': ({ accountId }) => campaigns().personas.get(accountId),
    // The persona is in every prompt: its account's draft and ready campaigns are stale the way an edited template is.
    'personas.set': async (input) => {
      const c = campaigns();
      const before = c.personas.get(input.accountId);
      const after = c.personas.set(input);
      if (before.persona === after.persona && before.voice === after.voice) return after;
      for (const id of c.store.editableOf(input.accountId)) {
        await c.runner.stop(id);
        c.recipients.resetStale(id);
        if (c.store.get(id).state === 'ready') c.store.transition(id, 'draft');
        events.emit('campaigns.changed', { id });
      }
      return after;
    },
    'campaigns.useTemplate': ({ id }) => changed(campaigns().runner.useTemplate(id)),
    'campaigns.summaries': ({ ids }) => {
      const rows = campaigns().sending.summaries(ids);
      const costs = deps.costMicros(rows.map((r) => r.id));
      return rows.map((r) => ({ ...r, costMicros: costs.get(r.id) ?? 0 }));
    },
    'campaigns.recipients': ({ id, statuses, offset, limit }) => {
      const c = campaigns();
      return c.recipients.rows(id, c.store.get(id).accountId, { statuses, offset, limit });
    },
  };
}
