import { CreateTableCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import type { TeamConnection } from './clients';
import { teamTableDefinition } from './keys';
import { type PlanStep, type TeamPlan, describeTable, planTeam } from './plan';

export type StepState = 'running' | 'done' | 'failed';
export interface ProvisionProgress {
  step: PlanStep;
  index: number;
  total: number;
  state: StepState;
}

export interface ProvisionOptions {
  onProgress?: (progress: ProvisionProgress) => void;
  /** Checked between steps: a stopped run leaves AWS in a state the next plan resumes from. */
  signal?: AbortSignal;
  /** How a wait for ACTIVE pauses; injected so tests never sleep. */
  delay?: (ms: number) => Promise<void>;
  /** Bounds the wait for a new table: AWS usually needs seconds, never this many polls. */
  maxPolls?: number;
}

export class ProvisionError extends Error {
  constructor(
    readonly code: 'aws_table_not_active' | 'aws_provision_stopped',
    readonly step: string,
  ) {
    super(`${code}: ${step}`);
    this.name = 'ProvisionError';
  }
}

const POLL_MS = 2_000;
const defaultDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies the plan one step at a time, each idempotent, re-reading AWS first: running twice
 * changes nothing, and a run cut short (stopped, crashed, a denied call) resumes where it stopped.
 * Returns the plan read again afterwards, which is all `none` when every step succeeded.
 */
export async function provisionTeam(connection: TeamConnection, options: ProvisionOptions = {}): Promise<TeamPlan> {
  const plan = await planTeam(connection);
  const todo = plan.steps;
  let topicArn = plan.topicArn;
  for (const [index, step] of todo.entries()) {
    if (options.signal?.aborted) throw new ProvisionError('aws_provision_stopped', step.id);
    if (step.action === 'none') {
      options.onProgress?.({ step, index, total: todo.length, state: 'done' });
      continue;
    }
    options.onProgress?.({ step, index, total: todo.length, state: 'running' });
    try {
      topicArn = await applyStep(connection, step, topicArn, options);
    } catch (err) {
      options.onProgress?.({ step, index, total: todo.length, state: 'failed' });
      throw err;
    }
    options.onProgress?.({ step, index, total: todo.length, state: 'done' });
  }
  return planTeam(connection);
}

async function applyStep(connection: TeamConnection, step: PlanStep, topicArn: string | null, options: ProvisionOptions): Promise<string | null> {
  switch (step.resource) {
    case 'table':
      await connection.dynamo.send(
        new CreateTableCommand(teamTableDefinition(step.name)),
      );
      return topicArn;
    case 'pitr':
      // AWS refuses UpdateContinuousBackups while the table is CREATING.
      await waitActive(connection, step, options);
      await connection.dynamo.send(
        new UpdateContinuousBackupsCommand({ TableName: step.name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      );
      return topicArn;
    case 'topic': {
      // CreateTopic is idempotent for the same name and attributes.
      const out = await connection.sns.send(new CreateTopicCommand({ Name: step.name }));
      if (!out.TopicArn) throw new ProvisionError('aws_provision_stopped', step.id);
      return out.TopicArn;
    }
    case 'subscription': {
      const arn = topicArn;
      if (!arn) throw new ProvisionError('aws_provision_stopped', step.id);
      await connection.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: step.name }));
      return arn;
    }
  }
}

async function waitActive(connection: TeamConnection, step: PlanStep, options: ProvisionOptions): Promise<void> {
  const delay = options.delay ?? defaultDelay;
  const maxPolls = options.maxPolls ?? 90;
  for (let poll = 0; poll < maxPolls; poll++) {
    const table = await describeTable(connection, step.name);
    if (table?.TableStatus === 'ACTIVE') return;
    await delay(POLL_MS);
  }
  throw new ProvisionError('aws_table_not_active', step.id);
}
