/**
 * What the desktop app's updater is doing, as the renderer shows it. The states follow
 * electron-updater's events; errors are codes the renderer words.
 */
import { z } from 'zod';

export const UPDATE_CHANNELS = ['stable', 'beta'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

/**
 * `update_integrity`: the download's sha512 (or, on Windows, its code signature) did not match
 * what the release says; nothing is installed. `update_unreachable`: the update server did not
 * answer. `update_metadata`: it answered with something that is not a release description.
 */
export const UPDATE_ERROR_CODES = ['update_unreachable', 'update_integrity', 'update_metadata', 'update_failed'] as const;
export type UpdateErrorCode = (typeof UPDATE_ERROR_CODES)[number];

const version = z.string().min(1).max(100);

export const updateStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('checking') }),
  z.object({ kind: z.literal('up_to_date') }),
  z.object({ kind: z.literal('available'), version }),
  z.object({
    kind: z.literal('downloading'),
    version,
    percent: z.number().min(0).max(100),
    bytes: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('ready'), version }),
  z.object({ kind: z.literal('error'), code: z.enum(UPDATE_ERROR_CODES) }),
  // The browser host runs from source; a desktop build that was not packaged has no release to follow.
  z.object({ kind: z.literal('unsupported'), reason: z.enum(['browser_host', 'not_packaged']) }),
]);
export type UpdateState = z.infer<typeof updateStateSchema>;

export const updateStatusSchema = z.object({
  state: updateStateSchema,
  channel: z.enum(UPDATE_CHANNELS),
  /** When the last check finished (epoch ms), null before the first. */
  checkedAt: z.number().int().nonnegative().nullable(),
});
export type UpdateStatus = z.infer<typeof updateStatusSchema>;
