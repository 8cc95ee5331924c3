import type { QueryClient } from '@tanstack/query-core';
import type { Client, EventName, EventPayload, MethodName, Output } from '../../../shared/contract';

/** The methods whose answer is exactly type T: the ones a payload or a reply of that type may stand in for. */
type MethodsAnswering<T> = { [M in MethodName]: [Output<M>] extends [T] ? ([T] extends [Output<M>] ? M : never) : never }[MethodName];

interface EventEffect<E extends EventName> {
  /** The event carries this method's new answer in full: written to the cache, nothing refetched. */
  replaces?: MethodsAnswering<EventPayload<E>>;
  /** Methods whose answers this event makes stale: refetched now if on screen, else on next use. */
  invalidates: readonly MethodName[];
}

/** Everything that reads the active profile: Sandbox mode swaps the database, providers and metrics under them. */
const PROFILE_READS = [
  'health.get',
  'providers.list',
  'routing.get',
  'sandbox.state',
  'metrics.orchestrator',
  'costs.stats',
  'costs.breakdown',
  'costs.series',
  'costs.forecast',
  'campaigns.costs',
  'costs.thresholds',
  'costs.alerts',
  'requests.list',
  'requests.get',
  'accounts.list',
  'restricted.get',
  'onlyfans.stats',
  'sends.list',
  'campaigns.list',
  'campaigns.get',
  'personas.get',
  'audiences.list',
  'audiences.segments',
  'campaigns.summaries',
  'campaigns.preview',
  'campaigns.status',
] as const;

/** Everything answered from the cost rollups. */
const COST_READS = ['costs.stats', 'costs.breakdown', 'costs.series', 'costs.forecast', 'campaigns.costs', 'metrics.orchestrator', 'campaigns.summaries'] as const;

/**
 * What each event pushed by the core does to the renderer's cache, written once. Every event in
 * the contract must have an entry (a new event without one does not compile).
 */
export const EVENT_EFFECTS: { [E in EventName]: EventEffect<E> } = {
  'settings.changed': { replaces: 'settings.get', invalidates: PROFILE_READS },
  'providers.changed': { invalidates: ['providers.list', 'health.get'] },
  'routing.changed': { replaces: 'routing.get', invalidates: [] },
  'sandbox.changed': { replaces: 'sandbox.state', invalidates: [] },
  'alerts.channelsChanged': { invalidates: ['alerts.channels'] },
  // Shown by the toast layer (components/AlertToasts.tsx), not cached; the channel status moved.
  'alert.fired': { invalidates: ['alerts.channels', 'costs.alerts'] },
  'alert.open': { invalidates: [] },
  'costs.updated': { invalidates: COST_READS },
  // Progress changes no figure; the finishing step is followed by a costs.updated.
  'costs.rebuild': { invalidates: [] },
  // Fired or acknowledged; a delivery's state moves with the channels' status.
  'alerts.changed': { invalidates: ['costs.alerts', 'alerts.channels'] },
  // The forecast's budget lines and crossing dates are drawn from the budget model.
  'budgets.changed': { replaces: 'costs.thresholds', invalidates: ['costs.forecast'] },
  'circuits.changed': { invalidates: ['health.get', 'providers.list'] },
  // Streamed text is shown by the Playground's own listener, not cached.
  'ai.delta': { invalidates: [] },
  // The cost rows a seed writes announce themselves (costs.updated); progress only moves a bar.
  'demo.progress': { invalidates: [] },
  'demo.seeded': { invalidates: ['demo.state'] },
  // A logged request never changes afterwards: only the pages move, the detail stays as it was.
  'requests.updated': { invalidates: ['requests.list'] },
  'accounts.changed': { invalidates: ['accounts.list'] },
  'restricted.changed': { replaces: 'restricted.get', invalidates: [] },
  'sends.progress': { invalidates: ['onlyfans.stats', 'sends.list'] },
  'queue.changed': { invalidates: ['onlyfans.stats', 'sends.list'] },
  // The list's figures move with a state; the composer's preview follows every saved edit.
  'campaigns.changed': { invalidates: ['campaigns.list', 'campaigns.get', 'campaigns.summaries', 'campaigns.preview'] },
  // Progress only moves a bar; the commit that follows announces itself as audiences.changed.
  'audiences.progress': { invalidates: [] },
  'audiences.changed': { invalidates: ['audiences.list', 'audiences.segments', 'campaigns.preview'] },
  // The campaign page's bars read the payload; the list refreshes its figures at its own pace
  // (pages/campaigns/progressRefresh.ts); the campaign announces its moves as campaigns.changed.
  'campaigns.progress': { invalidates: [] },
  'campaign.open': { invalidates: [] },
  // The payload is the whole status: the About card shows it as it comes, progress included.
  'updates.changed': { replaces: 'updates.status', invalidates: [] },
  'app.command': { invalidates: [] },
  // A keychain unlocked or back: keys that read as "not set" under the old key are readable again.
  'keychain.changed': { replaces: 'keychain.status', invalidates: ['providers.list', 'health.get', 'alerts.channels', 'accounts.list'] },
  // The payload is the whole state; a team alert recorded here comes as alerts.changed.
  'teamBudgets.changed': { replaces: 'teamBudgets.get', invalidates: ['teamSpend.get'] },
  // Progress moves the bar; the finished run's reply refreshes the plan, doctor and subscriptions.
  'aws.provisionProgress': { invalidates: [] },
  // The payload is the whole status, emitted at most about once a second; a pass moves the team's figures.
  'sync.changed': { replaces: 'sync.status', invalidates: ['team.costs', 'team.alerts'] },
  // The payload is this seat's whole share of the team's hard stops.
  'teamSpend.changed': { replaces: 'teamSpend.get', invalidates: [] },
};

type AnswerMap = { [M in MethodName]?: MethodsAnswering<Output<M>> };

/**
 * A mutation whose reply is the new answer of a query: written at once, so the window that acted
 * never shows the old value between its reply and the event.
 */
export const ANSWERS = {
  'settings.update': 'settings.get',
  'sandbox.setFault': 'sandbox.state',
  'routing.set': 'routing.get',
  'alerts.setChannels': 'alerts.channels',
  'alerts.setSecret': 'alerts.channels',
  'alerts.clearSecret': 'alerts.channels',
  'costs.setThresholds': 'costs.thresholds',
  'restricted.set': 'restricted.get',
  'personas.set': 'personas.get',
  'updates.check': 'updates.status',
  'updates.setChannel': 'updates.status',
  'keychain.acknowledge': 'keychain.status',
  'keychain.retry': 'keychain.status',
  'teamBudgets.set': 'teamBudgets.get',
  'aws.setSettings': 'aws.settings',
  'sync.now': 'sync.status',
} as const satisfies AnswerMap;

/** Queries are keyed `[method, input]`, so `[method]` matches every input of that method. */
export function applyEvent<E extends EventName>(queryClient: QueryClient, event: E, payload: EventPayload<E>): void {
  const effect: EventEffect<E> = EVENT_EFFECTS[event];
  if (effect.replaces) {
    queryClient.setQueriesData({ queryKey: [effect.replaces] }, payload);
    // A read already in flight may carry the answer from before this event and would overwrite
    // it on arrival: ask again, which cancels that read.
    if (queryClient.isFetching({ queryKey: [effect.replaces] }) > 0) void queryClient.invalidateQueries({ queryKey: [effect.replaces], refetchType: 'all' });
  }
  for (const method of effect.invalidates) void queryClient.invalidateQueries({ queryKey: [method] });
}

export function applyAnswer(queryClient: QueryClient, method: MethodName, value: unknown): void {
  const target = (ANSWERS as AnswerMap)[method];
  if (target) queryClient.setQueriesData({ queryKey: [target] }, value);
}

/** Subscribes the cache to every event in the map; returns the unsubscribe. */
export function followEvents(client: Client, queryClient: QueryClient): () => void {
  const offs = (Object.keys(EVENT_EFFECTS) as EventName[]).map((event) =>
    client.on(event, (payload) => applyEvent(queryClient, event, payload)),
  );
  return () => offs.forEach((off) => off());
}
