import { describe, expect, it } from 'vitest';
import { useAwsGate } from '../../support/aws-gate';
import { useDynalite } from '../../support/dynalite';
import { useFauxqs } from '../../support/fauxqs';
import { useServicesStack } from '../../support/services-stack';
import { TEST_KEYS } from '../../support/team-aws';

describe('the team AWS contract (real services, dynalite + fauxqs behind the gate)', () => {
  const startStack = useServicesStack();
  const startDynalite = useDynalite();
  const startFauxqs = useFauxqs();
  const startGate = useAwsGate();

  it('refuses bad settings with typed issues and says what is missing before any request', async () => {
    const stack = await startStack();
    const bad = await stack.call('aws.setSettings', { enabled: true, region: 'moon-1', credentials: 'keys', endpoint: '', snsEndpoint: '', prefix: 'UPPER', alertEmails: ['nope'] });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.issues?.map((i) => i.path.join('.')).sort()).toEqual(['alertEmails.0', 'prefix', 'region']);
    expect(await stack.call('aws.test', {})).toMatchObject({ ok: false, error: { kind: 'unavailable', code: 'aws_not_configured' } });
    await stack.value('aws.setSettings', { enabled: false, region: 'eu-west-1', credentials: 'keys', endpoint: '', snsEndpoint: '', prefix: 'agency', alertEmails: [] });
    expect(await stack.call('aws.plan', {})).toMatchObject({ ok: false, error: { code: 'aws_no_keys' } });
  });

  it('tests access, plans, provisions with progress, fills the empty SNS channel, and never returns the secret', async () => {
    const stack = await startStack();
    const dynamo = await startGate((await startDynalite()).endpoint, 'dynamodb');
    const sns = await startGate((await startFauxqs()).endpoint, 'sns');
    await stack.value('alerts.setSecret', { secret: 'aws', ...TEST_KEYS });
    const view = await stack.value<{ keysSet: boolean; seatId: string }>('aws.setSettings', { enabled: true, region: 'eu-west-1', credentials: 'keys', endpoint: dynamo.endpoint, snsEndpoint: sns.endpoint, prefix: 'agency', alertEmails: ['ops@agency.example'] });
    expect(view.keysSet).toBe(true);
    expect(JSON.stringify(view)).not.toContain(TEST_KEYS.secretAccessKey);

    expect(await stack.value('aws.test', {})).toMatchObject({ credentials: 'ok', region: 'eu-west-1', skew: 'ok' });
    const plan = await stack.value<{ steps: { action: string }[] }>('aws.plan', {});
    expect(plan.steps.filter((s) => s.action !== 'none')).toHaveLength(6);

    const progress = stack.capture<{ index: number; state: string; total: number }>('aws.provisionProgress');
    const done = await stack.value<{ plan: { steps: { action: string }[]; topicArn: string }; channelFilled: boolean }>('aws.provision', {});
    expect(done.plan.steps.every((s) => s.action === 'none')).toBe(true);
    expect(done.channelFilled).toBe(true);
    expect(progress.filter((p) => p.state === 'done').map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const channels = await stack.value<{ settings: { sns: { topicArn: string; endpoint: string; enabled: boolean } } }>('alerts.channels', {});
    expect(channels.settings.sns).toMatchObject({ topicArn: done.plan.topicArn, endpoint: sns.endpoint, enabled: false });

    const doctor = await stack.value<{ findings: { status: string }[] }>('aws.doctor', {});
    expect(doctor.findings.filter((f) => f.status === 'fail')).toEqual([]);
    // fauxqs confirms an email subscription at once (AWS would answer PendingConfirmation first).
    expect(await stack.value('aws.subscriptions', {})).toEqual({ topicArn: done.plan.topicArn, subscriptions: [{ email: 'ops@agency.example', state: 'confirmed' }] });

    const { json } = await stack.value<{ json: string }>('aws.policy', {});
    const policy = JSON.parse(json) as { Statement: { Action: string[]; Resource: string[] }[] };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).toContain('sns:Publish');
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    expect(policy.Statement.flatMap((s) => s.Resource)).toEqual([
      'arn:aws:dynamodb:eu-west-1:000000000000:table/agency-ai-costs',
      'arn:aws:dynamodb:eu-west-1:000000000000:table/agency-cost-alerts',
      'arn:aws:sns:eu-west-1:000000000000:agency-cost-alerts',
    ]);
  });

  it('a denied call comes back as a typed aws_denied error', async () => {
    const stack = await startStack();
    const dynamo = await startGate((await startDynalite()).endpoint, 'dynamodb');
    const sns = await startGate((await startFauxqs()).endpoint, 'sns');
    await stack.value('alerts.setSecret', { secret: 'aws', ...TEST_KEYS });
    await stack.value('aws.setSettings', { enabled: true, region: 'eu-west-1', credentials: 'keys', endpoint: dynamo.endpoint, snsEndpoint: sns.endpoint, prefix: 'agency', alertEmails: [] });
    dynamo.deny.add('dynamodb:CreateTable');
    expect(await stack.call('aws.provision', {})).toMatchObject({ ok: false, error: { kind: 'forbidden', code: 'aws_denied', params: { error: 'AccessDeniedException' } } });
  });
});
