/**
 * The team layer's settings and resource names (issue 12). Each seat keeps working alone from
 * its SQLite file; these say where the agency's shared DynamoDB tables and SNS topic are.
 */
import { z } from 'zod';
import { AWS_REGION } from './alerts';

/** Lower-case so the derived table and topic names are valid in both services and read alike. */
export const AWS_PREFIX = /^[a-z][a-z0-9-]{1,39}$/;

const blankOr = (pattern: RegExp, rule: string, max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => v === '' || pattern.test(v), { params: { rule } });

export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[A-Za-z]{2,}$/;

export const teamAwsSettingsSchema = z
  .object({
    /** Off: nothing leaves this seat for the team layer (the local ledger still fills). */
    enabled: z.boolean(),
    region: blankOr(AWS_REGION, 'aws_region', 30),
    /** `keys`: the seat's AWS key pair in the secret store (the one the SNS channel uses); `default`: the SDK's chain. */
    credentials: z.enum(['keys', 'default']),
    /** An emulator's address (dynalite, LocalStack, fauxqs); blank for AWS itself. */
    endpoint: blankOr(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'endpoint_url', 500),
    /** SNS's own address when it differs from `endpoint` (two emulators); blank to use `endpoint`. */
    snsEndpoint: blankOr(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'endpoint_url', 500),
    prefix: blankOr(AWS_PREFIX, 'aws_prefix', 40),
    /** Who the topic emails; provisioning subscribes each, AWS asks each to confirm. */
    alertEmails: z.array(z.string().trim().regex(EMAIL)).max(20),
  })
  .strict();
export type TeamAwsSettings = z.infer<typeof teamAwsSettingsSchema>;

export const DEFAULT_TEAM_AWS_SETTINGS: TeamAwsSettings = {
  enabled: false,
  region: '',
  credentials: 'keys',
  endpoint: '',
  snsEndpoint: '',
  prefix: 'huntaze',
  alertEmails: [],
};

/** The names the seed's setup script used, now derived from one prefix. */
export function teamResourceNames(prefix: string) {
  return {
    costsTable: `${prefix}-ai-costs`,
    alertsTable: `${prefix}-cost-alerts`,
    topic: `${prefix}-cost-alerts`,
  } as const;
}
export type TeamResourceNames = ReturnType<typeof teamResourceNames>;
