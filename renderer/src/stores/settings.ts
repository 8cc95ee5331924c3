import { create } from 'zustand';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import type { AppErrorData } from '../../../shared/result';
import { api } from '../api/client';

interface SettingsState {
  settings: Settings | undefined;
  loadError: AppErrorData | undefined;
  load(): Promise<void>;
  /** Resolves to the error, if any, so the form can show it next to the fields. */
  update(patch: SettingsPatch): Promise<AppErrorData | undefined>;
}

export const useSettings = create<SettingsState>((set) => ({
  settings: undefined,
  loadError: undefined,
  async load() {
    const result = await api.call('settings.get', {});
    set(result.ok ? { settings: result.value, loadError: undefined } : { loadError: result.error });
  },
  async update(patch) {
    const result = await api.call('settings.update', patch);
    if (!result.ok) return result.error;
    set({ settings: result.value });
    return undefined;
  },
}));

// Another window or tab may change settings; every view follows.
api.on('settings.changed', (settings) => useSettings.setState({ settings }));
