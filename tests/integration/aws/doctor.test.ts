import { DeleteTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { skewFrom } from '../../../main/aws/access';
import { type Finding, runDoctor } from '../../../main/aws/doctor';
import { keys } from '../../../main/aws/keys';
import { subscriptionState } from '../../../main/aws/plan';
import { provisionTeam } from '../../../main/aws/provision';
import { systemClock } from '../../../main/ports/clock';
import { DEFAULT_TEAM_AWS_SETTINGS, teamAwsSettingsSchema } from '../../../shared/aws';
import { GATE_ACCOUNT, useAwsGate } from '../../support/aws-gate';
import { useDynalite } from '../../support/dynalite';
import { useFauxqs } from '../../support/fauxqs';
import { useTeamAws } from '../../support/team-aws';

describe('the team doctor (dynalite + fauxqs behind the gate that plays IAM, PITR and the Date header)', () => {
  const team = useTeamAws();
  const startDynalite = useDynalite();
  const startFauxqs = useFauxqs();
  const startGate = useAwsGate();
  afterEach(() => team.closeAll());

  async function stack(alertEmails: string[] = []) {
    const dynamoGate = await startGate((await startDynalite()).endpoint, 'dynamodb');
    const snsGate = await startGate((await startFauxqs()).endpoint, 'sns');
    const opened = await team.open({ endpoint: dynamoGate.endpoint, snsEndpoint: snsGate.endpoint, alertEmails }, systemClock);
    return { ...opened, dynamoGate, snsGate };
  }
  const byId = (findings: Finding[], id: string) => findings.find((f) => f.id === id);

  it('is all green after provisioning, and its write probe leaves nothing behind', async () => {
    const { connect } = await stack();
    const c = await connect();
    await provisionTeam(c, { delay: async () => {} });
    const { findings, access, policy } = await runDoctor(c, systemClock);
    expect(findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(access).toMatchObject({ credentials: 'ok', account: '000000000000', skew: 'ok' });
    expect(byId(findings, 'credentials')).toMatchObject({ code: 'doctor.credentials_ok', params: { account: '000000000000' } });
    expect(findings.map((f) => f.id)).toEqual(expect.arrayContaining(['credentials', 'clock', 'table:agency-ai-costs', 'pitr:agency-cost-alerts', 'topic:agency-cost-alerts', 'permission:dynamodb:PutItem', 'permission:sns:Publish']));
    expect(byId(findings, 'permission:sns:Publish')?.code).toBe('doctor.permission_by_test_alert');
    expect(JSON.stringify(policy)).toContain('arn:aws:dynamodb:eu-west-1:000000000000:table/agency-ai-costs');
    const probeKey = keys.doctor(c.seatId);
    const left = await c.dynamo.send(new GetItemCommand({ TableName: 'agency-ai-costs', Key: { pk: { S: probeKey.pk }, sk: { S: probeKey.sk } } }));
    expect(left.Item).toBeUndefined();
  });

  it('reports a missing table and a denied dynamodb:PutItem, each with its fix', async () => {
    const { connect, dynamoGate } = await stack();
    const c = await connect();
    await provisionTeam(c, { delay: async () => {} });
    await c.dynamo.send(new DeleteTableCommand({ TableName: 'agency-cost-alerts' }));
    dynamoGate.deny.add('dynamodb:PutItem');
    const { findings } = await runDoctor(c, systemClock);
    expect(byId(findings, 'table:agency-cost-alerts')).toMatchObject({ status: 'fail', code: 'doctor.table_missing', fix: 'fix.provision' });
    expect(byId(findings, 'permission:dynamodb:PutItem')).toMatchObject({ status: 'fail', code: 'doctor.permission_denied', params: { action: 'dynamodb:PutItem' }, fix: 'fix.policy' });
    expect(byId(findings, 'permission:dynamodb:GetItem')?.status).toBe('ok');
    expect(byId(findings, 'table:agency-ai-costs')?.status).toBe('ok');
  });

  it('names the account from AccessDenied when even DescribeTable is refused', async () => {
    const { connect, dynamoGate } = await stack();
    dynamoGate.deny.add('dynamodb:DescribeTable');
    const { access, findings } = await runDoctor(await connect(), systemClock);
    expect(access).toMatchObject({ credentials: 'ok', account: GATE_ACCOUNT });
    expect(byId(findings, 'permission:dynamodb:DescribeTable')).toMatchObject({ status: 'fail', fix: 'fix.policy' });
  });

  it('flags clock skew: over 5 minutes fails (signatures refused), over a second warns (shared limiter)', async () => {
    const { connect, dynamoGate } = await stack();
    const c = await connect();
    dynamoGate.dateOffsetMs = 10 * 60_000;
    const far = await runDoctor(c, systemClock);
    expect(far.access.skew).toBe('fail');
    // No table yet, so no reply named the account: the line leaves it out instead of an empty slot.
    expect(far.access.account).toBeNull();
    expect(byId(far.findings, 'credentials')).toMatchObject({ status: 'ok', code: 'doctor.credentials_ok_noAccount', params: {} });
    expect(far.access.skewMs).toBeGreaterThan(9 * 60_000);
    expect(byId(far.findings, 'clock')).toMatchObject({ status: 'fail', code: 'doctor.clock_skew_signature', fix: 'fix.clock' });
    dynamoGate.dateOffsetMs = -30_000;
    const near = await runDoctor(c, systemClock);
    expect(near.access.skew).toBe('warn');
    expect(byId(near.findings, 'clock')).toMatchObject({ status: 'warn', code: 'doctor.clock_skew_limiter' });
  });

  it('reads skew against the Date header’s one-second window', () => {
    const date = 'Thu, 26 Nov 2026 10:00:00 GMT';
    const at = Date.parse(date);
    expect(skewFrom(date, at + 200, at + 400)).toBe(0);
    expect(skewFrom(date, at - 3_000, at - 2_500)).toBe(2_500);
    expect(skewFrom(date, at + 5_000, at + 5_100)).toBe(-4_001);
  });

  it('tells a pending subscription (AWS’s placeholder ARN) from a confirmed one', () => {
    expect(subscriptionState({ SubscriptionArn: 'PendingConfirmation' })).toBe('pending');
    expect(subscriptionState({ SubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:t:0b1c' })).toBe('confirmed');
  });

  it('refuses bad settings with typed issues', () => {
    const bad = teamAwsSettingsSchema.safeParse({ ...DEFAULT_TEAM_AWS_SETTINGS, region: 'mars-1', prefix: 'Bad Prefix', endpoint: 'ftp://x', alertEmails: ['not-an-email'] });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['alertEmails.0', 'endpoint', 'prefix', 'region']);
  });
});
