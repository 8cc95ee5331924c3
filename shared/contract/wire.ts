import { z } from 'zod';

/** Browser host wire frames, in both directions. */
export const wireRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  input: z.unknown(),
});
export const wireServerFrameSchema = z.union([
  z.object({ type: z.literal('reply'), id: z.number().int().nonnegative(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WireRequest = z.infer<typeof wireRequestSchema>;
export type WireServerFrame = z.infer<typeof wireServerFrameSchema>;
