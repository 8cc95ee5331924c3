import type { Breakdown, CostDimension } from '../../../../shared/costs';
import { microsToDecimal } from '../../../../shared/money';

export interface CsvLabels {
  /** Column headings: one per grouped dimension, then the measures. */
  dimension: (d: CostDimension) => string;
  requests: string;
  inputTokens: string;
  cachedInputTokens: string;
  outputTokens: string;
  costUsd: string;
  /** The group standing for everything past the top N. */
  other: string;
}

/**
 * A spreadsheet reads a cell starting with = + - @ (or a tab/CR) as a formula; campaign and
 * operator ids are typed by people, so such text is prefixed with an apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The breakdown as RFC 4180 CSV (CRLF line ends): one line per row as shown, money as decimal
 * dollars with six decimals straight from the integer micros, so the column sums to the cent
 * and the micro-dollar with no float noise. Rows without a campaign or operator leave it empty.
 */
export function breakdownCsv(breakdown: Pick<Breakdown, 'groupBy' | 'rows'>, labels: CsvLabels): string {
  const head = [...breakdown.groupBy.map(labels.dimension), labels.requests, labels.inputTokens, labels.cachedInputTokens, labels.outputTokens, labels.costUsd];
  const lines = [head.map(csvCell).join(',')];
  for (const row of breakdown.rows) {
    const keys = breakdown.groupBy.map((d, i) => (row.other ? (i === 0 ? labels.other : '') : (row.key[d] ?? '')));
    const figures = [row.requests, row.inputTokens, row.cachedInputTokens, row.outputTokens].map(String);
    lines.push([...keys.map(csvCell), ...figures, microsToDecimal(row.micros)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
