import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERT_TOPICS } from '../../../shared/alerts';
import { sampleAlert, useAlertsRig } from '../../support/alerts';
import { useFauxqs } from '../../support/fauxqs';

const REGION = 'eu-west-1';
const KEYS = { accessKeyId: 'AKIAFAUXQSTESTKEY000', secretAccessKey: 'fauxqs-secret-canary-7c1e9d' };

/** A topic with an SQS queue subscribed to it, made through the real SDKs against the emulator. */
async function topicWithQueue(endpoint: string) {
  const config = { region: REGION, endpoint, credentials: KEYS };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'huntaze-alerts' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'alert-inbox' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  sns.destroy();
  const receive = async () => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    return Messages.map((m) => JSON.parse(m.Body!) as { Type: string; Subject: string; Message: string; TopicArn: string; MessageAttributes?: Record<string, { Value: string }> });
  };
  return { topicArn: TopicArn!, receive, close: () => sqs.destroy() };
}

/** Answers every call with one AWS error, as SNS's query protocol writes it. */
function useAwsErrorServers() {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  return async (status: number, code: string, message: string) => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
        );
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
}

describe('SNS channel through the real @aws-sdk/client-sns', () => {
  const rig = useAlertsRig();
  const fauxqs = useFauxqs();
  const awsError = useAwsErrorServers();

  async function configured(endpoint: string, topicArn = `arn:aws:sns:${REGION}:000000000000:huntaze-alerts`) {
    const r = await rig();
    await r.channels.setSecret({ secret: 'aws', ...KEYS });
    await r.channels.update({ sns: { enabled: true, region: REGION, credentials: 'keys', endpoint, topicArn } });
    return r;
  }

  it('publishes an alert that lands in a subscribed SQS queue with its subject and body', async () => {
    const { endpoint } = await fauxqs();
    const target = await topicWithQueue(endpoint);
    try {
      const { enqueue, relay, row, channels } = await configured(endpoint, target.topicArn);
      expect((await channels.view()).status.sns.configured).toBe(true);
      enqueue({ topic: ALERT_TOPICS.sns, key: 'n1', payload: sampleAlert({ id: 'n1' }) });
      expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
      expect(row(ALERT_TOPICS.sns, 'n1')!.state).toBe('delivered');
      const [message, ...more] = await target.receive();
      expect(more).toEqual([]);
      expect(message).toMatchObject({ Type: 'Notification', TopicArn: target.topicArn });
      expect(message!.Subject).toBe('Huntaze — Warning: Campaign Black Friday reached 80% of its monthly budget');
      expect(message!.Message).toContain('Spent $812.34 of a $1,000.00 budget — November 2026');
      expect(message!.Message).toContain('/alerts/n1');

      // A 60-character campaign id makes a title past SNS's limit: cut, not refused.
      const longId = 'c'.repeat(60);
      enqueue({ topic: ALERT_TOPICS.sns, key: 'n2', payload: sampleAlert({ id: 'n2', threshold: { scope: 'campaign', target: longId, label: null, percent: 80 } }) });
      expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
      const [long] = await target.receive();
      expect(long!.Subject.length).toBeLessThanOrEqual(99);
      expect(long!.Subject).toMatch(new RegExp(`^Huntaze — Warning: Campaign ${longId} .*…$`));

      expect(await channels.test('sns')).toEqual({ ok: true });
      expect((await target.receive())[0]!.Message).toContain('Test message');
    } finally {
      target.close();
    }
  });

  it('buries a publish to a topic that does not exist, with AWS’s words', async () => {
    const { endpoint } = await fauxqs();
    const { enqueue, relay, row, channels } = await configured(endpoint, `arn:aws:sns:${REGION}:000000000000:gone`);
    enqueue({ topic: ALERT_TOPICS.sns, key: 'g1', payload: sampleAlert({ id: 'g1' }) });
    expect(await relay.runOnce()).toMatchObject({ dead: 1 });
    expect(row(ALERT_TOPICS.sns, 'g1')!.last_error).toMatch(/^not_found \(HTTP 404\): NotFound/);
    const test = await channels.test('sns');
    expect(test).toMatchObject({ ok: false, code: 'not_found', retryable: false, status: 404 });
  });

  it('retries throttling and 5xx, buries auth failures', async () => {
    const cases = [
      { status: 400, code: 'Throttling', outcome: { code: 'throttled', retryable: true } },
      { status: 503, code: 'ServiceUnavailable', outcome: { code: 'unavailable', retryable: true } },
      { status: 403, code: 'InvalidClientTokenId', outcome: { code: 'auth', retryable: false } },
      { status: 403, code: 'AuthorizationError', outcome: { code: 'auth', retryable: false } },
      { status: 400, code: 'InvalidParameter', outcome: { code: 'rejected', retryable: false } },
    ];
    for (const c of cases) {
      const endpoint = await awsError(c.status, c.code, `said ${c.code}`);
      const { channels } = await configured(endpoint);
      expect(await channels.test('sns'), c.code).toMatchObject({ ok: false, ...c.outcome, status: c.status });
    }
  });

  it('retries when the endpoint does not answer at all, and keeps the AWS secret out of everything', async () => {
    const { enqueue, relay, row, channels, logger } = await configured('http://127.0.0.1:9');
    enqueue({ topic: ALERT_TOPICS.sns, key: 'u1', payload: sampleAlert({ id: 'u1' }) });
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    expect(row(ALERT_TOPICS.sns, 'u1')!.last_error).toMatch(/^network: /);
    const replies = JSON.stringify([await channels.view(), await channels.test('sns')]);
    expect(replies).toContain('"aws":true');
    for (const text of [replies, logger.lines.join('\n'), row(ALERT_TOPICS.sns, 'u1')!.last_error!]) {
      expect(text).not.toContain(KEYS.secretAccessKey);
    }
  });

  it('refuses a malformed access key id and reports SNS not configured without keys', async () => {
    const r = await rig();
    await expect(r.channels.setSecret({ secret: 'aws', accessKeyId: 'not-a-key', secretAccessKey: 'x'.repeat(40) })).rejects.toMatchObject({
      issues: [{ path: ['accessKeyId'], code: 'custom', params: { rule: 'aws_access_key_id' } }],
    });
    await r.channels.update({ sns: { enabled: true, region: REGION, credentials: 'keys', endpoint: '', topicArn: `arn:aws:sns:${REGION}:123456789012:t` } });
    expect((await r.channels.view()).status.sns.configured).toBe(false);
    expect(await r.channels.test('sns')).toMatchObject({ ok: false, code: 'not_configured' });
  });
});
