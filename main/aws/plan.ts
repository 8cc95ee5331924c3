import { DescribeContinuousBackupsCommand, DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, type Subscription } from '@aws-sdk/client-sns';
import { KEY_ATTRIBUTES } from './keys';
import type { TeamConnection } from './clients';

/**
 * What provisioning would do, read from AWS with Describe/List calls only: computing a plan
 * never changes anything, so the operator (and a resumed run) sees exactly what is left.
 */
export type PlanAction = 'create' | 'update' | 'none';
export type PlanResource = 'table' | 'pitr' | 'topic' | 'subscription';

export interface PlanStep {
  /** Stable across runs: `table:<name>`, `pitr:<name>`, `topic:<name>`, `subscription:<email>`. */
  id: string;
  resource: PlanResource;
  name: string;
  action: PlanAction;
}

export interface TeamPlan {
  steps: PlanStep[];
  /** The topic's ARN once it exists (what the SNS alert channel is offered). */
  topicArn: string | null;
  /** The account a table's ARN names, once one exists (scopes the IAM policy). */
  account: string | null;
}

const PENDING = 'PendingConfirmation';

export async function describeTable(connection: TeamConnection, name: string): Promise<TableDescription | null> {
  try {
    const out = await connection.dynamo.send(new DescribeTableCommand({ TableName: name }));
    return out.Table ?? null;
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') return null;
    throw err;
  }
}

export async function pitrEnabled(connection: TeamConnection, name: string): Promise<boolean> {
  const out = await connection.dynamo.send(new DescribeContinuousBackupsCommand({ TableName: name }));
  return out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
}

/**
 * The topic's ARN comes from the account a table ARN names, then GetTopicAttributes on it:
 * ListTopics cannot be scoped to one topic in IAM, so the app never calls it. With no table
 * yet the account is unknown and the plan says `create` (CreateTopic is idempotent anyway).
 */
export async function findTopicArn(connection: TeamConnection, tableArn: string | null): Promise<string | null> {
  const parts = tableArn?.split(':');
  if (!parts || parts.length < 6 || !parts[4]) return null;
  const arn = `arn:${parts[1]}:sns:${connection.settings.region}:${parts[4]}:${connection.names.topic}`;
  try {
    await connection.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    return arn;
  } catch (err) {
    if (err instanceof Error && /NotFound/.test(err.name)) return null;
    throw err;
  }
}

export async function listSubscriptions(connection: TeamConnection, topicArn: string): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let token: string | undefined;
  do {
    const out = await connection.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
    all.push(...(out.Subscriptions ?? []));
    token = out.NextToken;
  } while (token);
  return all;
}

export function subscriptionState(sub: Subscription): 'pending' | 'confirmed' {
  return !sub.SubscriptionArn || sub.SubscriptionArn === PENDING || !sub.SubscriptionArn.startsWith('arn:') ? 'pending' : 'confirmed';
}

/** The key schema keys.ts designs: `pk` HASH string, `sk` RANGE string. */
export function keySchemaAsDesigned(table: TableDescription): boolean {
  const hash = table.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = table.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const typeOf = (name: string) => table.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
  return hash === KEY_ATTRIBUTES.hash && range === KEY_ATTRIBUTES.range && typeOf(hash) === 'S' && typeOf(range) === 'S';
}

export async function planTeam(connection: TeamConnection): Promise<TeamPlan> {
  const steps: PlanStep[] = [];
  let tableArn: string | null = null;
  for (const name of [connection.names.costsTable, connection.names.alertsTable]) {
    const table = await describeTable(connection, name);
    tableArn ??= table?.TableArn ?? null;
    steps.push({ id: `table:${name}`, resource: 'table', name, action: table ? 'none' : 'create' });
    const pitr = table ? await pitrEnabled(connection, name) : false;
    steps.push({ id: `pitr:${name}`, resource: 'pitr', name, action: pitr ? 'none' : 'update' });
  }
  const topicArn = await findTopicArn(connection, tableArn);
  steps.push({ id: `topic:${connection.names.topic}`, resource: 'topic', name: connection.names.topic, action: topicArn ? 'none' : 'create' });
  const subscribed = new Set(
    topicArn ? (await listSubscriptions(connection, topicArn)).filter((s) => s.Protocol === 'email').map((s) => (s.Endpoint ?? '').toLowerCase()) : [],
  );
  for (const email of connection.settings.alertEmails) {
    steps.push({ id: `subscription:${email}`, resource: 'subscription', name: email, action: subscribed.has(email.toLowerCase()) ? 'none' : 'create' });
  }
  return { steps, topicArn, account: tableArn?.split(':')[4] ?? null };
}
