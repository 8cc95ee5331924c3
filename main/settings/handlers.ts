import type { settingsMethods } from '../../shared/contract/settings';
import type { Settings } from '../../shared/settings';
import type { EventBus } from '../ipc/events';
import type { HandlersFor } from '../ipc/registry';
import type { SettingsStore } from './store';

export interface SettingsHandlerDeps {
  settings: SettingsStore;
  events: EventBus;
  /** Settings that change how the core runs (e.g. the Sandbox profile) take effect here. */
  apply(next: Settings, changed: Partial<Settings>): Promise<void>;
}

export function settingsHandlers({ settings, events, apply }: SettingsHandlerDeps): HandlersFor<typeof settingsMethods> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': async (patch) => {
      const next = settings.update(patch);
      await apply(next, patch);
      events.emit('settings.changed', next);
      return next;
    },
  };
}
