/**
 * The key design of the two team tables: every item has a string `pk` (hash) and `sk` (range),
 * so one table serves several item kinds and every team query is a single Query on one `pk`.
 * Every key is a function of the data alone (ids are minted once), so writing an item again —
 * a replay, a retry of UnprocessedItems, a process killed mid-batch — overwrites it with itself.
 *
 * `{prefix}-ai-costs`
 *   ROW#<day>            <seat>#<block>                   up to 64 ledger rows of one seat: those of the day
 *                                                         whose `seq` falls in block ⌊seq / 64⌋ (day = the
 *                                                         agency's local day), always rewritten whole
 *   AGG#day#<day>        <seat>#<provider>#<model>#<campaign|->   this seat's absolute totals for that day
 *   AGG#month#<month>    <seat>#<provider>#<model>#<campaign|->   … and month
 *   SEAT                 <seat>                           a seat: its operator's name, when last seen
 *   RATE#<accountId>     BUCKET                           the shared rate budget of one creator account
 *   DOCTOR               <seat>                           the doctor's write probe: put, updated, read and
 *                                                         deleted in one check, so it never lingers
 *
 * Rows go by blocks because on DynamoDB an item costs a request's share whatever its size up to
 * 1 KB and a write unit per KB after: 64 rows in one item are one write to make instead of 64,
 * and a block is read back from the local ledger whole every time, so a replay writes the same item.
 *
 * Aggregates are per seat and absolute (each seat recomputes its own from its ledger and puts
 * them whole), and the team's figure is their sum: a row delivered twice cannot count twice,
 * which an `ADD` per delivery could not promise.
 *
 * `{prefix}-cost-alerts`
 *   ALERTS#<month>       <alertId>                        one alert; a team alert is put with
 *                                                         attribute_not_exists(pk), so it fires once per team
 *   ALERTS#<month>       SEAT#<seat>#<alertId>            one seat's own budget alert (its sync puts it, again when
 *                                                         acknowledged); `SEAT#` keeps it apart from team claims
 *   CONFIG               BUDGETS                          the team budgets, one item every seat reads, replaced
 *                                                         under a `version` condition so no edit is lost
 *   SPEND#<day|month>    <thresholdId>                    the leases of one team hard-stop threshold in one
 *                                                         period (spend-budget.ts); a new period is a new item
 */
export const KEY_ATTRIBUTES = { hash: 'pk', range: 'sk' } as const;

/** How both team tables are made: on demand, string `pk`/`sk`. Provisioning, the tests and the bench all use it. */
export const teamTableDefinition = (TableName: string) => ({
  TableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  KeySchema: [
    { AttributeName: KEY_ATTRIBUTES.hash, KeyType: 'HASH' as const },
    { AttributeName: KEY_ATTRIBUTES.range, KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: KEY_ATTRIBUTES.hash, AttributeType: 'S' as const },
    { AttributeName: KEY_ATTRIBUTES.range, AttributeType: 'S' as const },
  ],
});

const part = (value: string) => value.replaceAll('#', '%23');

export const keys = {
  rows: (day: string, seat: string, block: number) => ({ pk: `ROW#${day}`, sk: `${part(seat)}#${String(block).padStart(12, '0')}` }),
  aggregate: (unit: 'day' | 'month', bucket: string, seat: string, provider: string, model: string, campaign: string | null) => ({
    pk: `AGG#${unit}#${bucket}`,
    sk: [seat, provider, model, campaign ?? '-'].map(part).join('#'),
  }),
  aggregatePk: (unit: 'day' | 'month', bucket: string) => `AGG#${unit}#${bucket}`,
  seat: (seat: string) => ({ pk: 'SEAT', sk: seat }),
  rate: (accountId: string) => ({ pk: `RATE#${part(accountId)}`, sk: 'BUCKET' }),
  alert: (month: string, alertId: string) => ({ pk: `ALERTS#${month}`, sk: alertId }),
  teamBudgets: () => ({ pk: 'CONFIG', sk: 'BUDGETS' }),
  doctor: (seat: string) => ({ pk: 'DOCTOR', sk: seat }),
  spend: (period: string, thresholdId: string) => ({ pk: `SPEND#${part(period)}`, sk: thresholdId }),
  seatAlert: (month: string, seat: string, alertId: string) => ({ pk: `ALERTS#${month}`, sk: `SEAT#${part(seat)}#${alertId}` }),
} as const;
