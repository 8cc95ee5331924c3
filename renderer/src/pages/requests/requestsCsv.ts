import type { RequestRow } from '../../../../shared/requests';
import { microsToDecimal } from '../../../../shared/money';
import { csvCell } from '../costs/csv';

export const CSV_COLUMNS = [
  'id', 'time', 'purpose', 'modelClass', 'outcome', 'error', 'provider', 'deployment', 'model', 'attempts',
  'inputTokens', 'cachedInputTokens', 'outputTokens', 'costUsd', 'latencyMs', 'campaign', 'operator', 'fallback',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface RequestCsvLabels {
  column: (c: CsvColumn) => string;
  purpose: (p: RequestRow['purpose']) => string;
  modelClass: (c: RequestRow['modelClass']) => string;
  outcome: (o: RequestRow['outcome']) => string;
  error: (kind: NonNullable<RequestRow['errorKind']>) => string;
  yes: string;
  no: string;
}

/**
 * The rows as RFC 4180 CSV (CRLF line ends), as the Costs export: time in UTC ISO 8601, money as
 * decimal dollars with six decimals straight from the integer micros, so a column sum in a
 * spreadsheet matches the Costs page to the micro-dollar.
 */
export function requestsCsv(rows: readonly RequestRow[], labels: RequestCsvLabels): string {
  const lines = [CSV_COLUMNS.map((c) => csvCell(labels.column(c))).join(',')];
  for (const r of rows) {
    const text = [
      r.id, new Date(r.ts).toISOString(), labels.purpose(r.purpose), labels.modelClass(r.modelClass), labels.outcome(r.outcome), r.errorKind ? labels.error(r.errorKind) : '',
      r.provider ?? '', r.deployment ?? '', r.baseModel ?? '',
    ].map(csvCell);
    const figures = [r.attemptCount, r.usage.inputTokens, r.usage.cachedInputTokens, r.usage.outputTokens].map(String);
    const tail = [String(r.latencyMs), csvCell(r.campaignId ?? ''), csvCell(r.operatorId ?? ''), r.servedByFallback ? labels.yes : labels.no];
    lines.push([...text, ...figures, microsToDecimal(r.costMicros), ...tail].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
