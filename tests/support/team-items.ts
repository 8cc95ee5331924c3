/**
 * Writes the team tables' items in tests exactly as the sync does: keys from main/aws/keys.ts,
 * shapes checked by main/aws/items.ts, one PutItem each (the reader must not care how they landed).
 */
import { CreateTableCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type AggregateItem, aggregateItemSchema, type SeatItem, seatItemSchema } from '../../main/aws/items';
import { keys, teamTableDefinition } from '../../main/aws/keys';

export async function createCostsTable(dynamo: DynamoDBClient, table: string): Promise<void> {
  await dynamo.send(
    new CreateTableCommand(teamTableDefinition(table)),
  );
}

export type DayAggregate = Omit<AggregateItem, 'pk' | 'sk' | 'unit' | 'bucket' | 'asOfSeq'> & { day: string; asOfSeq?: number };

/** One seat's absolute totals for one day, as part S puts them. */
export function dayAggregate(a: DayAggregate): AggregateItem {
  const { day, asOfSeq = 1, ...rest } = a;
  return aggregateItemSchema.parse({
    ...keys.aggregate('day', day, a.seat, a.provider, a.model, a.campaign === '-' ? null : a.campaign),
    unit: 'day',
    bucket: day,
    asOfSeq,
    ...rest,
  });
}

export function seatItem(seat: string, operator: string, lastSeenAt: number): SeatItem {
  return seatItemSchema.parse({ ...keys.seat(seat), operator, lastSeenAt });
}

export async function putItems(dynamo: DynamoDBClient, table: string, items: readonly object[]): Promise<void> {
  for (const item of items) await dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
}
