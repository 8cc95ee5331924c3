import type { TeamResourceNames } from '../../shared/aws';

/**
 * Every AWS action the app calls, and nothing else: the plan, provisioning, the doctor, the
 * sync and the shared limiter. ListTopics is absent on purpose (IAM cannot scope it to a topic).
 */
export const DYNAMODB_ACTIONS = [
  'DescribeTable',
  'CreateTable',
  'UpdateContinuousBackups',
  'DescribeContinuousBackups',
  'BatchWriteItem',
  'PutItem',
  'UpdateItem',
  'GetItem',
  'Query',
  'DeleteItem',
] as const;
export const SNS_ACTIONS = ['CreateTopic', 'GetTopicAttributes', 'Subscribe', 'ListSubscriptionsByTopic', 'Publish'] as const;

/** The least-privilege policy for one prefix and region; `account` null scopes to any account (`*`). */
export function teamPolicy(names: TeamResourceNames, region: string, account: string | null) {
  const acct = account ?? '*';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'HuntazeTeamTables',
        Effect: 'Allow',
        Action: DYNAMODB_ACTIONS.map((a) => `dynamodb:${a}`),
        Resource: [names.costsTable, names.alertsTable].map((t) => `arn:aws:dynamodb:${region}:${acct}:table/${t}`),
      },
      {
        Sid: 'HuntazeTeamAlertTopic',
        Effect: 'Allow',
        Action: SNS_ACTIONS.map((a) => `sns:${a}`),
        Resource: [`arn:aws:sns:${region}:${acct}:${names.topic}`],
      },
    ],
  };
}
