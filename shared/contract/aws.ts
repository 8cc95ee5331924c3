import { z } from 'zod';
import { teamAwsSettingsSchema } from '../aws';
import { type EventTable, type MethodTable, noInput } from './define';

/**
 * The team layer's AWS side (issue 12): settings, Test access, the doctor, the IAM policy and
 * provisioning. The seat's key pair is the SNS alert channel's (`alerts.setSecret({secret:'aws'})`);
 * only whether it is set crosses here, never a value.
 */
const viewSchema = z.object({
  settings: teamAwsSettingsSchema,
  seatId: z.string(),
  keysSet: z.boolean(),
  names: z.object({ costsTable: z.string(), alertsTable: z.string(), topic: z.string() }),
});

const accessSchema = z.object({
  credentials: z.enum(['ok', 'invalid', 'unreachable', 'error']),
  region: z.string(),
  account: z.string().nullable(),
  skewMs: z.number().int().nullable(),
  skew: z.enum(['ok', 'warn', 'fail', 'unknown']),
  error: z.string().nullable(),
});

export const findingSchema = z.object({
  id: z.string(),
  status: z.enum(['ok', 'warn', 'fail']),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  fix: z.string().nullable(),
});

export const planStepSchema = z.object({
  id: z.string(),
  resource: z.enum(['table', 'pitr', 'topic', 'subscription']),
  name: z.string(),
  action: z.enum(['create', 'update', 'none']),
});

const planSchema = z.object({ steps: z.array(planStepSchema), topicArn: z.string().nullable(), account: z.string().nullable() });

export const awsMethods = {
  'aws.settings': { input: noInput, output: viewSchema },
  'aws.setSettings': { input: teamAwsSettingsSchema, output: viewSchema },
  /** The least-privilege policy as pretty JSON, scoped to the account the last access test saw (else `*`). */
  'aws.policy': { input: noInput, output: z.object({ json: z.string(), account: z.string().nullable() }) },
  'aws.test': { input: noInput, output: accessSchema },
  'aws.doctor': { input: noInput, output: z.object({ access: accessSchema, findings: z.array(findingSchema) }) },
  'aws.plan': { input: noInput, output: planSchema },
  /** `channelFilled`: the SNS alert channel had no topic and now points at the provisioned one. */
  'aws.provision': { input: noInput, output: z.object({ plan: planSchema, channelFilled: z.boolean() }) },
  'aws.subscriptions': {
    input: noInput,
    output: z.object({ topicArn: z.string().nullable(), subscriptions: z.array(z.object({ email: z.string(), state: z.enum(['pending', 'confirmed', 'missing']) })) }),
  },
} as const satisfies MethodTable;

export const awsEvents = {
  'aws.provisionProgress': z.object({ step: planStepSchema, index: z.number().int(), total: z.number().int(), state: z.enum(['running', 'done', 'failed']) }),
} as const satisfies EventTable;
