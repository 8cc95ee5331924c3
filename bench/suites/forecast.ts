import { BENCH_SCENARIOS, backtest, syntheticSeries } from '../forecast-backtest';
import type { BenchLine, Suite } from '../harness';

/** Month-end MAPE of the engine beside a straight line over the fixed scenarios, weighted by cut points. */
export function forecastBenchLines(): BenchLine[] {
  let mape = 0;
  let mapeLinear = 0;
  let coverage = 0;
  let cuts = 0;
  for (const spec of BENCH_SCENARIOS) {
    const r = backtest(syntheticSeries(spec));
    mape += r.mape * r.cuts;
    mapeLinear += r.mapeLinear * r.cuts;
    coverage += r.coverage * r.cuts;
    cuts += r.cuts;
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const linear = round2(mapeLinear / cuts);
  return [
    { name: 'costs.forecast_mape', value: round2(mape / cuts), unit: '%', target: `< ${linear} (costs.forecast_mape_linear)` },
    { name: 'costs.forecast_mape_linear', value: linear, unit: '%' },
    { name: 'costs.forecast_coverage_p10_p90', value: round2((100 * coverage) / cuts), unit: '%', target: '≈ 80' },
  ];
}

/** The forecast backtest alone; the costs suite reports the same lines beside its query figures. */
export const forecastSuite: Suite = {
  description: 'Spend forecast backtest: month-end MAPE of the engine beside a straight line, on synthetic series',
  async run(report) {
    for (const line of forecastBenchLines()) report(line);
  },
};
