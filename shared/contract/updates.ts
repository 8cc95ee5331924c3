import { z } from 'zod';
import { UPDATE_CHANNELS, updateStatusSchema } from '../updates';
import { type EventTable, type MethodTable, noInput } from './define';

/**
 * The desktop app's own updates. The Electron shell answers these itself (it holds
 * electron-updater); the core answers them for the browser host, with `unsupported`.
 */
export const updatesMethods = {
  'updates.status': { input: noInput, output: updateStatusSchema },
  /** Checks now; a found update downloads in the background (`updates.changed` tells how far). */
  'updates.check': { input: noInput, output: updateStatusSchema },
  'updates.setChannel': { input: z.object({ channel: z.enum(UPDATE_CHANNELS) }).strict(), output: updateStatusSchema },
  /** Quits and installs; refused with `update_not_ready` unless a verified download is ready. */
  'updates.restart': { input: noInput, output: z.object({ restarting: z.literal(true) }) },
} as const satisfies MethodTable;

export const updatesEvents = {
  'updates.changed': updateStatusSchema,
} as const satisfies EventTable;

/** The methods a host that updates itself answers in place of the core. */
export const UPDATE_METHODS: ReadonlySet<string> = new Set(Object.keys(updatesMethods));
