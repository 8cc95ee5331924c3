import { PROVIDER_IDS } from '../../shared/ai';
import type { demoMethods } from '../../shared/contract/demo';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { Clock } from '../ports/clock';
import type { Profile } from '../profiles/profile';
import type { DemoMarker } from './marker';
import { seedDemo } from './seed';

export interface DemoHandlerDeps {
  /** The profile now active: seeding goes only there, and only if it is the Sandbox. */
  active: () => Profile;
  /** Whether a live provider is switched on with everything it needs. */
  liveConfigured: () => Promise<boolean>;
  marker: DemoMarker;
  events: EventBus;
  clock: Clock;
}

export function demoHandlers({ active, liveConfigured, marker, events, clock }: DemoHandlerDeps): HandlersFor<typeof demoMethods> {
  // A second click while seeding joins the run under way instead of starting another.
  let running: Promise<{ costRows: number; seededAt: number }> | null = null;
  const seed = async () => {
    const { costRows } = await seedDemo(active(), { clock, onProgress: (p) => events.emit('demo.progress', p) });
    const seededAt = marker.markSeeded();
    for (const provider of PROVIDER_IDS) events.emit('providers.changed', { provider });
    events.emit('demo.seeded', { seededAt });
    return { costRows, seededAt };
  };
  return {
    'demo.state': async () => {
      const seededAt = marker.seededAt();
      const liveProviderConfigured = await liveConfigured();
      return { firstRun: seededAt === null && !liveProviderConfigured, seededAt, liveProviderConfigured };
    },
    'demo.seed': () => (running ??= seed().finally(() => (running = null))),
  };
}
