import { z } from 'zod';
import { campaignCostsSchema } from '../costs';
import { MAX_COST_ID_CHARS } from '../limits';
import type { MethodTable } from './define';

export const campaignsMethods = {
  'campaigns.costs': { input: z.object({ campaignId: z.string().min(1).max(MAX_COST_ID_CHARS) }).strict(), output: campaignCostsSchema },
} as const satisfies MethodTable;
