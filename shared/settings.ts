import { z } from 'zod';

export const THEMES = ['light', 'dark', 'system'] as const;
export const LANGUAGES = ['en', 'fr'] as const;

/** Non-secret, operator-editable settings. Secrets never live here (see SecretStore). */
export const settingsSchema = z
  .object({
    operatorName: z.string().trim().min(1).max(80),
    theme: z.enum(THEMES),
    language: z.enum(LANGUAGES),
    /** Every AI call goes to the built-in sandbox provider instead of real ones. */
    sandboxMode: z.boolean(),
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
};
