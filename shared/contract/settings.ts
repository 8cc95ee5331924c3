import { settingsPatchSchema, settingsSchema } from '../settings';
import { type EventTable, type MethodTable, noInput } from './define';

export const settingsMethods = {
  'settings.get': { input: noInput, output: settingsSchema },
  'settings.update': { input: settingsPatchSchema, output: settingsSchema },
} as const satisfies MethodTable;

export const settingsEvents = {
  'settings.changed': settingsSchema,
} as const satisfies EventTable;
