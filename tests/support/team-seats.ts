import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach } from 'vitest';
import { TeamAws } from '../../main/aws/clients';
import { type AggregateItem, aggregateItemSchema } from '../../main/aws/items';
import { keys, teamTableDefinition } from '../../main/aws/keys';
import { TeamAwsStore } from '../../main/aws/settings';
import { TeamAlerts } from '../../main/aws/team-alerts';
import { TeamBudgetStore } from '../../main/aws/team-budgets';
import { dayKey, monthKey } from '../../main/budgets/spend';
import { Ledger } from '../../main/ledger/ledger';
import { DEFAULT_TEAM_AWS_SETTINGS, teamResourceNames } from '../../shared/aws';
import { type AlertsRig, useAlertsRig } from './alerts';
import { spendRow } from './budgets';
import { NOW } from './outbox';

export const REGION = 'eu-west-1';
const KEYS = { accessKeyId: 'AKIAFAUXQSTESTKEY000', secretAccessKey: 'team-secret-canary-4b2f' };
const NAMES = teamResourceNames('huntaze');

export interface Seat {
  rig: AlertsRig;
  aws: TeamAws;
  seatId: string;
  ledger: Ledger;
  budgets: TeamBudgetStore;
  alerts: TeamAlerts;
  /** Micro-dollars spent on this seat now (recorded in its real ledger). */
  spend(costMicros: number, extra?: Parameters<typeof spendRow>[2]): Promise<void>;
  /** This seat's history: id → channels its messages were enqueued for. */
  history(): Record<string, string[]>;
}

/** What the team's sync would have written for a seat: one aggregate item, built with the shared keys and schema. */
export function aggregate(seat: string, unit: 'day' | 'month', costMicros: number, over: Partial<AggregateItem> = {}): Record<string, unknown> {
  const bucket = unit === 'day' ? dayKey(Math.floor(NOW / 86_400_000)) : monthKey(202611);
  const provider = over.provider ?? 'azure';
  const model = over.model ?? 'gpt-4o';
  const campaign = over.campaign ?? '-';
  return aggregateItemSchema.parse({
    ...keys.aggregate(unit, bucket, seat, provider, model, campaign === '-' ? null : campaign),
    seat, operator: 'op', unit, bucket, provider, model, campaign,
    requests: 1, inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, costMicros, asOfSeq: 1, updatedAt: NOW,
    ...over,
  });
}

/**
 * The team layer for several seats: dynalite (both tables, made here as provisioning would),
 * fauxqs with the alert topic subscribed by one SQS queue, and each seat a real data folder with
 * its ledger, outbox and SNS relay. Every client and file is closed after each test.
 */
export function useTeamSeats() {
  const rig = useAlertsRig();
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const c of closers.splice(0)) c();
  });

  async function team(dynamoEndpoint: string, snsEndpoint: string) {
    // A copy: the SDK marks the credentials object it is given.
    const config = { region: REGION, credentials: { ...KEYS } };
    const dynamo = new DynamoDBClient({ ...config, endpoint: dynamoEndpoint });
    const sns = new SNSClient({ ...config, endpoint: snsEndpoint });
    const sqs = new SQSClient({ ...config, endpoint: snsEndpoint });
    closers.push(() => dynamo.destroy(), () => sns.destroy(), () => sqs.destroy());
    for (const TableName of [NAMES.costsTable, NAMES.alertsTable]) {
      await dynamo.send(
        new CreateTableCommand(teamTableDefinition(TableName)),
      );
    }
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: NAMES.topic }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'team-inbox' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));

    const receive = async (waitSeconds: number) => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));
      return Messages.map((m) => JSON.parse(m.Body!) as { Subject: string; Message: string });
    };

    return {
      dynamo,
      /** Messages that landed: waits (bounded, by SQS long polling) until `count` arrived, then one more short look for extras. */
      async landed(count: number) {
        const got = [];
        for (let round = 0; round < 10 && got.length < count; round++) got.push(...(await receive(1)));
        got.push(...(await receive(1)));
        return got;
      },
      put: (item: Record<string, unknown>, table: string = NAMES.costsTable) => dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(item) })),
      async seat(endpoint = dynamoEndpoint): Promise<Seat> {
        const r = await rig();
        await r.channels.setSecret({ secret: 'aws', ...KEYS });
        await r.channels.update({ sns: { enabled: true, region: REGION, credentials: 'keys', endpoint: snsEndpoint, topicArn: TopicArn! } });
        const store = new TeamAwsStore(r.db, r.clock, r.logger);
        store.set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: REGION, endpoint, snsEndpoint });
        const aws = new TeamAws(store, r.secrets);
        const ledger = new Ledger(r.db, r.clock, r.outbox, { timeZone: 'UTC' });
        await ledger.rebuilt();
        closers.unshift(() => ledger.flush(), () => aws.close());
        const budgets = new TeamBudgetStore(r.db, r.clock, r.logger);
        const alerts = new TeamAlerts({ db: r.db, clock: r.clock, logger: r.logger, outbox: r.outbox, connect: () => aws.connect(), budgets, ledger, channels: () => ['sns'] });
        return {
          rig: r,
          aws,
          seatId: store.seatId(),
          ledger,
          budgets,
          alerts,
          async spend(costMicros, extra = {}) {
            const done = ledger.record(spendRow(NOW, costMicros, extra));
            ledger.flush();
            await done;
          },
          history: () =>
            Object.fromEntries((r.db.prepare('SELECT id, channels FROM cost_alerts ORDER BY id').all() as { id: string; channels: string }[]).map((a) => [a.id, JSON.parse(a.channels)])),
        };
      },
    };
  }
  return team;
}

/** The connection a seat's TeamAws makes (the tests' seats are always configured). */
export async function connected(seat: Seat) {
  const c = await seat.aws.connect();
  if ('unavailable' in c) throw new Error(`seat not connected: ${c.unavailable}`);
  return c;
}
