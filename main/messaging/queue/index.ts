export { SendQueue, type SendQueueOptions } from './queue';
export { DEFAULT_PACE_MARGIN_MS, paceOf } from './lanes';
export { csvCell, toCsv, toText } from './export';
export type { SendRow } from './store';
