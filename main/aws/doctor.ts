import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeContinuousBackupsCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import type { Clock } from '../ports/clock';
import { type AccessResult, classify, testAccess } from './access';
import type { TeamConnection } from './clients';
import { KEY_ATTRIBUTES, keys, teamTableDefinition } from './keys';
import { describeTable, findTopicArn, keySchemaAsDesigned, listSubscriptions, subscriptionState } from './plan';
import { teamPolicy } from './policy';

export type FindingStatus = 'ok' | 'warn' | 'fail';
/** One line of the doctor's report; `code` and `fix` are message codes the renderer words. */
export interface Finding {
  id: string;
  status: FindingStatus;
  code: string;
  params: Record<string, string | number>;
  fix: string | null;
}

const finding = (id: string, status: FindingStatus, code: string, params: Finding['params'] = {}, fix: string | null = null): Finding => ({ id, status, code, params, fix });

/** Runs a probe; maps AWS's answer to a permission finding. `not_found` still proves the right. */
async function probe(findings: Finding[], action: string, call: () => Promise<unknown>, allowed: (name: string) => boolean = () => false): Promise<boolean> {
  const id = `permission:${action}`;
  try {
    await call();
  } catch (err) {
    const failure = classify(err);
    if (failure === 'denied') {
      findings.push(finding(id, 'fail', 'doctor.permission_denied', { action }, 'fix.policy'));
      return false;
    }
    if (failure !== 'not_found' && !(err instanceof Error && allowed(err.name))) {
      findings.push(finding(id, 'warn', 'doctor.permission_error', { action, error: err instanceof Error ? err.name : 'Error' }, 'fix.retry'));
      return false;
    }
  }
  findings.push(finding(id, 'ok', 'doctor.permission_ok', { action }));
  return true;
}

const unprobed = (findings: Finding[], action: string, code: string, fix: string | null, status: FindingStatus = 'warn') =>
  findings.push(finding(`permission:${action}`, status, code, { action }, fix));

/**
 * Reads everything the team layer depends on and says what is wrong and how to fix it.
 * Side effects are limited to the doctor item (`keys.doctor(seat)`), put then deleted; writes
 * that would create something (CreateTable, CreateTopic, PITR on, Subscribe) are probed only
 * where they are no-ops (the resource exists already), and Publish is left to "Send test alert".
 */
export async function runDoctor(connection: TeamConnection, clock: Clock): Promise<{ access: AccessResult; findings: Finding[]; policy: ReturnType<typeof teamPolicy> }> {
  const access = await testAccess(connection, clock);
  const findings: Finding[] = [];
  const { names, settings } = connection;
  const policy = teamPolicy(names, settings.region, access.account);
  if (access.credentials !== 'ok') {
    const code = access.credentials === 'invalid' ? 'doctor.credentials_invalid' : access.credentials === 'unreachable' ? 'doctor.unreachable' : 'doctor.credentials_error';
    findings.push(finding('credentials', 'fail', code, { error: access.error ?? '' }, access.credentials === 'unreachable' ? 'fix.endpoint' : 'fix.keys'));
    return { access, findings, policy };
  }
  // The account shows only once a reply names it (a table ARN, a denial); none yet is not an error.
  findings.push(access.account ? finding('credentials', 'ok', 'doctor.credentials_ok', { account: access.account }) : finding('credentials', 'ok', 'doctor.credentials_ok_noAccount'));
  findings.push(finding('region', 'ok', 'doctor.region_ok', { region: settings.region }));
  const skewMs = access.skewMs ?? 0;
  findings.push(
    access.skew === 'fail'
      ? finding('clock', 'fail', 'doctor.clock_skew_signature', { skewMs }, 'fix.clock')
      : access.skew === 'warn'
        ? finding('clock', 'warn', 'doctor.clock_skew_limiter', { skewMs }, 'fix.clock')
        : finding('clock', 'ok', 'doctor.clock_ok', { skewMs }),
  );

  const tables: Record<string, boolean> = {};
  let tableArn: string | null = null;
  let pitrAll = true;
  for (const name of [names.costsTable, names.alertsTable]) {
    const id = `table:${name}`;
    let table;
    try {
      table = await describeTable(connection, name);
    } catch (err) {
      if (classify(err) !== 'denied') throw err;
      findings.push(finding('permission:dynamodb:DescribeTable', 'fail', 'doctor.permission_denied', { action: 'dynamodb:DescribeTable' }, 'fix.policy'));
      pitrAll = false;
      continue;
    }
    tables[name] = table !== null;
    if (!table) {
      findings.push(finding(id, 'fail', 'doctor.table_missing', { table: name }, 'fix.provision'));
      pitrAll = false;
      continue;
    }
    tableArn ??= table.TableArn ?? null;
    if (!keySchemaAsDesigned(table)) findings.push(finding(id, 'fail', 'doctor.table_keys', { table: name, hash: KEY_ATTRIBUTES.hash, range: KEY_ATTRIBUTES.range }, 'fix.table_keys'));
    else if (table.TableStatus !== 'ACTIVE') findings.push(finding(id, 'warn', 'doctor.table_not_active', { table: name, status: table.TableStatus ?? '' }, 'fix.wait'));
    else if (table.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST') findings.push(finding(id, 'warn', 'doctor.table_billing', { table: name }, 'fix.billing'));
    else findings.push(finding(id, 'ok', 'doctor.table_ok', { table: name }));
    try {
      const out = await connection.dynamo.send(new DescribeContinuousBackupsCommand({ TableName: name }));
      const on = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
      pitrAll &&= on;
      findings.push(on ? finding(`pitr:${name}`, 'ok', 'doctor.pitr_ok', { table: name }) : finding(`pitr:${name}`, 'warn', 'doctor.pitr_off', { table: name }, 'fix.provision'));
    } catch (err) {
      if (classify(err) !== 'denied') throw err;
      pitrAll = false;
      findings.push(finding('permission:dynamodb:DescribeContinuousBackups', 'fail', 'doctor.permission_denied', { action: 'dynamodb:DescribeContinuousBackups' }, 'fix.policy'));
    }
  }
  if (!findings.some((f) => f.id === 'permission:dynamodb:DescribeTable')) findings.push(finding('permission:dynamodb:DescribeTable', 'ok', 'doctor.permission_ok', { action: 'dynamodb:DescribeTable' }));

  const costs = names.costsTable;
  if (tables[costs]) {
    // CreateTable on an existing name is refused with ResourceInUse when allowed: a no-op probe.
    await probe(findings, 'dynamodb:CreateTable', () => connection.dynamo.send(new CreateTableCommand(teamTableDefinition(costs))), (n) => n === 'ResourceInUseException');
    if (pitrAll) await probe(findings, 'dynamodb:UpdateContinuousBackups', () => connection.dynamo.send(new UpdateContinuousBackupsCommand({ TableName: costs, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })));
    else unprobed(findings, 'dynamodb:UpdateContinuousBackups', 'doctor.permission_by_provision', 'fix.provision');
    const key = { pk: { S: keys.doctor(connection.seatId).pk }, sk: { S: keys.doctor(connection.seatId).sk } };
    await probe(findings, 'dynamodb:PutItem', () => connection.dynamo.send(new PutItemCommand({ TableName: costs, Item: { ...key, at: { N: String(clock.now()) } } })));
    await probe(findings, 'dynamodb:UpdateItem', () => connection.dynamo.send(new UpdateItemCommand({ TableName: costs, Key: key, UpdateExpression: 'SET probe = :p', ExpressionAttributeValues: { ':p': { N: '1' } } })));
    await probe(findings, 'dynamodb:GetItem', () => connection.dynamo.send(new GetItemCommand({ TableName: costs, Key: key })));
    await probe(findings, 'dynamodb:Query', () => connection.dynamo.send(new QueryCommand({ TableName: costs, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': key.pk }, Limit: 1 })));
    await probe(findings, 'dynamodb:BatchWriteItem', () => connection.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [costs]: [{ DeleteRequest: { Key: key } }] } })));
    await probe(findings, 'dynamodb:DeleteItem', () => connection.dynamo.send(new DeleteItemCommand({ TableName: costs, Key: key })));
  } else {
    for (const action of ['CreateTable', 'UpdateContinuousBackups', 'PutItem', 'UpdateItem', 'GetItem', 'Query', 'BatchWriteItem', 'DeleteItem']) {
      unprobed(findings, `dynamodb:${action}`, 'doctor.permission_by_provision', 'fix.provision');
    }
  }

  let topicArn: string | null = null;
  if (tableArn) {
    try {
      topicArn = await findTopicArn(connection, tableArn);
      findings.push(finding('permission:sns:GetTopicAttributes', 'ok', 'doctor.permission_ok', { action: 'sns:GetTopicAttributes' }));
    } catch (err) {
      if (classify(err) !== 'denied') throw err;
      findings.push(finding('permission:sns:GetTopicAttributes', 'fail', 'doctor.permission_denied', { action: 'sns:GetTopicAttributes' }, 'fix.policy'));
    }
  }
  findings.push(topicArn ? finding(`topic:${names.topic}`, 'ok', 'doctor.topic_ok', { topic: names.topic }) : finding(`topic:${names.topic}`, 'fail', 'doctor.topic_missing', { topic: names.topic }, 'fix.provision'));
  if (topicArn) {
    const arn = topicArn;
    await probe(findings, 'sns:CreateTopic', () => connection.sns.send(new CreateTopicCommand({ Name: names.topic })));
    let subs: Awaited<ReturnType<typeof listSubscriptions>> = [];
    const listed = await probe(findings, 'sns:ListSubscriptionsByTopic', async () => {
      subs = await listSubscriptions(connection, arn);
    });
    if (listed) {
      const byEmail = new Map(subs.filter((s) => s.Protocol === 'email').map((s) => [(s.Endpoint ?? '').toLowerCase(), subscriptionState(s)]));
      for (const email of settings.alertEmails) {
        const state = byEmail.get(email.toLowerCase());
        findings.push(
          state === 'confirmed'
            ? finding(`subscription:${email}`, 'ok', 'doctor.subscription_confirmed', { email })
            : state === 'pending'
              ? finding(`subscription:${email}`, 'warn', 'doctor.subscription_pending', { email }, 'fix.confirm_email')
              : finding(`subscription:${email}`, 'fail', 'doctor.subscription_missing', { email }, 'fix.provision'),
        );
      }
    }
  } else {
    for (const action of ['CreateTopic', 'ListSubscriptionsByTopic']) unprobed(findings, `sns:${action}`, 'doctor.permission_by_provision', 'fix.provision');
  }
  // Subscribe would email a pending address again and Publish would send: neither is probed.
  unprobed(findings, 'sns:Subscribe', 'doctor.permission_by_provision', null, 'ok');
  unprobed(findings, 'sns:Publish', 'doctor.permission_by_test_alert', null, 'ok');
  return { access, findings, policy };
}
