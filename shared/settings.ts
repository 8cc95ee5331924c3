import { z } from 'zod';

export const THEMES = ['light', 'dark', 'system'] as const;
export const LANGUAGES = ['en', 'fr'] as const;

/** Whether this runtime's ICU knows the IANA zone; a formatter refuses an unknown one. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The agency's time zone: days and months of the cost views are local to it. */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, { params: { rule: 'time_zone' } });

/** The system's zone, or UTC where the runtime cannot tell. */
export function systemTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

/** Non-secret, operator-editable settings. Secrets never live here (see SecretStore). */
export const settingsSchema = z
  .object({
    operatorName: z.string().trim().min(1).max(80),
    theme: z.enum(THEMES),
    language: z.enum(LANGUAGES),
    /** Every AI call goes to the built-in sandbox provider instead of real ones. */
    sandboxMode: z.boolean(),
    timeZone: timeZoneSchema,
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { params: { rule: 'at_least_one' } });

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  operatorName: 'Operator',
  theme: 'system',
  language: 'en',
  sandboxMode: false,
  timeZone: systemTimeZone(),
};
