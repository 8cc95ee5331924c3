import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import type { TeamConnection } from '../../../main/aws/clients';
import { planTeam } from '../../../main/aws/plan';
import { ProvisionError, type ProvisionProgress, provisionTeam } from '../../../main/aws/provision';
import { useAwsGate } from '../../support/aws-gate';
import { useDynalite } from '../../support/dynalite';
import { useFauxqs } from '../../support/fauxqs';
import { useTeamAws } from '../../support/team-aws';

async function snapshot(c: TeamConnection) {
  const tables = await Promise.all(
    [c.names.costsTable, c.names.alertsTable].map(async (name) => {
      const { Table } = await c.dynamo.send(new DescribeTableCommand({ TableName: name }));
      return { name: Table?.TableName, status: Table?.TableStatus, keys: Table?.KeySchema, billing: Table?.BillingModeSummary?.BillingMode, arn: Table?.TableArn };
    }),
  );
  const topics = (await c.sns.send(new ListTopicsCommand({}))).Topics ?? [];
  const subs = await Promise.all(topics.map(async (t) => (await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t.TopicArn }))).Subscriptions ?? []));
  return { tables, topics, subs: subs.flat().map((s) => ({ endpoint: s.Endpoint, protocol: s.Protocol, topic: s.TopicArn })) };
}

describe('provisioning the team tables and topic (dynalite + fauxqs behind the gate for PITR)', () => {
  const team = useTeamAws();
  const startDynalite = useDynalite();
  const startFauxqs = useFauxqs();
  const startGate = useAwsGate();
  afterEach(() => team.closeAll());

  async function stack(alertEmails = ['ops@agency.example', 'boss@agency.example']) {
    const dynamo = await startGate((await startDynalite()).endpoint, 'dynamodb');
    const sns = await startGate((await startFauxqs()).endpoint, 'sns');
    const opened = await team.open({ endpoint: dynamo.endpoint, snsEndpoint: sns.endpoint, alertEmails });
    return { ...opened, dynamoGate: dynamo, snsGate: sns };
  }

  it('creates everything once; a second run changes nothing and the plan after it is all none', async () => {
    const { connect } = await stack();
    const c = await connect();
    const before = await planTeam(c);
    expect(before.steps.map((s) => [s.id, s.action])).toEqual([
      ['table:agency-ai-costs', 'create'],
      ['pitr:agency-ai-costs', 'update'],
      ['table:agency-cost-alerts', 'create'],
      ['pitr:agency-cost-alerts', 'update'],
      ['topic:agency-cost-alerts', 'create'],
      ['subscription:ops@agency.example', 'create'],
      ['subscription:boss@agency.example', 'create'],
    ]);
    const progress: ProvisionProgress[] = [];
    const after = await provisionTeam(c, { onProgress: (p) => progress.push(p), delay: async () => {} });
    expect(after.steps.every((s) => s.action === 'none')).toBe(true);
    expect(after.topicArn).toMatch(/:agency-cost-alerts$/);
    expect(progress.filter((p) => p.state === 'done').map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(progress.every((p) => p.total === 7)).toBe(true);

    const first = await snapshot(c);
    expect(first.tables.map((t) => [t.name, t.status, t.billing])).toEqual([
      ['agency-ai-costs', 'ACTIVE', 'PAY_PER_REQUEST'],
      ['agency-cost-alerts', 'ACTIVE', 'PAY_PER_REQUEST'],
    ]);
    expect(first.tables[0]?.keys).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    expect(first.subs.map((s) => s.endpoint).sort()).toEqual(['boss@agency.example', 'ops@agency.example']);

    const again = await provisionTeam(c, { delay: async () => {} });
    expect(again.steps.every((s) => s.action === 'none')).toBe(true);
    expect(await snapshot(c)).toEqual(first);
  });

  it('resumes a run stopped after the first table: the plan shows only what is left', async () => {
    const { connect } = await stack(['ops@agency.example']);
    const c = await connect();
    const stop = new AbortController();
    const stopped = provisionTeam(c, {
      delay: async () => {},
      signal: stop.signal,
      onProgress: (p) => {
        if (p.step.id === 'table:agency-ai-costs' && p.state === 'done') stop.abort();
      },
    });
    await expect(stopped).rejects.toBeInstanceOf(ProvisionError);
    const left = await planTeam(c);
    expect(left.steps.filter((s) => s.action !== 'none').map((s) => s.id)).toEqual([
      'pitr:agency-ai-costs',
      'table:agency-cost-alerts',
      'pitr:agency-cost-alerts',
      'topic:agency-cost-alerts',
      'subscription:ops@agency.example',
    ]);
    const done = await provisionTeam(c, { delay: async () => {} });
    expect(done.steps.every((s) => s.action === 'none')).toBe(true);
  });

  it('a denied call stops the run with AWS’s AccessDenied and the next run picks up from there', async () => {
    const { connect, snsGate } = await stack(['ops@agency.example']);
    const c = await connect();
    snsGate.deny.add('sns:Subscribe');
    const failed: ProvisionProgress[] = [];
    await expect(provisionTeam(c, { delay: async () => {}, onProgress: (p) => p.state === 'failed' && failed.push(p) })).rejects.toMatchObject({ name: 'AuthorizationErrorException' });
    expect(failed.map((p) => p.step.id)).toEqual(['subscription:ops@agency.example']);
    snsGate.deny.clear();
    const left = await planTeam(c);
    expect(left.steps.filter((s) => s.action !== 'none').map((s) => s.id)).toEqual(['subscription:ops@agency.example']);
  });
});
