import { z } from 'zod';
import { breakdownInputSchema, breakdownSchema, costStatsSchema, localDateSchema, rebuildProgressSchema, seriesInputSchema, seriesSchema } from '../costs';
import { costsForecastSchema } from '../forecast';
import { type EventTable, type MethodTable, noInput } from './define';

/** AI spend in the agency's zone, answered from the rollups only (never a scan of the ledger). */
export const costsMethods = {
  'costs.stats': { input: noInput, output: costStatsSchema },
  'costs.breakdown': { input: breakdownInputSchema, output: breakdownSchema },
  'costs.series': { input: seriesInputSchema, output: seriesSchema },
  /** Month-end projection from the active profile's daily spend, against the monthly and daily budgets of the one budget model. */
  'costs.forecast': { input: noInput, output: costsForecastSchema },
} as const satisfies MethodTable;

export const costsEvents = {
  /** Spend was recorded (coalesced to a few per second): the local day it touched last. */
  'costs.updated': z.object({ day: localDateSchema }),
  /** A time-zone change re-buckets history; answers stay in the old zone until `finished`. */
  'costs.rebuild': rebuildProgressSchema,
} as const satisfies EventTable;
