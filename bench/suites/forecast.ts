import { forecastBenchLines } from '../../main/costs/backtest';
import type { Suite } from '../harness';

/** The forecast backtest alone; the costs suite reports the same lines beside its query figures. */
export const forecastSuite: Suite = {
  description: 'Spend forecast backtest: month-end MAPE of the engine beside a straight line, on synthetic series',
  async run(report) {
    for (const line of forecastBenchLines()) report(line);
  },
};
