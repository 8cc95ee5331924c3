import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { type TeamAwsSettings, type TeamResourceNames, teamResourceNames } from '../../shared/aws';
import { SECRET_NAMES } from '../alerts/channels';
import { type SecretStore, SecretStoreError } from '../secrets';
import type { TeamAwsStore } from './settings';

/** Why the seat cannot reach the team layer right now, before any request is made. */
export type TeamAwsUnavailable = 'disabled' | 'not_configured' | 'no_keys' | 'secrets_unreadable';

/** One configured connection to the team's AWS account: the clients, the names, this seat. */
export interface TeamConnection {
  settings: TeamAwsSettings;
  names: TeamResourceNames;
  seatId: string;
  dynamo: DynamoDBClient;
  sns: SNSClient;
}

const REQUEST_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Builds the AWS clients from the team settings and the seat's key pair, once per settings
 * version (a change of region, endpoint or keys builds fresh ones and destroys the old). The
 * SDK's own retries are off: the sync, the doctor and the shared limiter each own their retry.
 */
export class TeamAws {
  private current: { fingerprint: string; connection: TeamConnection } | null = null;
  private building: { fingerprint: string; connection: Promise<TeamConnection> } | null = null;

  constructor(
    readonly store: TeamAwsStore,
    private readonly secrets: SecretStore,
  ) {}

  /** `requireEnabled` false lets the doctor and provisioning run before the team layer is switched on. */
  async connect(requireEnabled = true): Promise<TeamConnection | { unavailable: TeamAwsUnavailable }> {
    const settings = this.store.get();
    if (requireEnabled && !settings.enabled) return { unavailable: 'disabled' };
    if (!settings.region || !settings.prefix) return { unavailable: 'not_configured' };
    let credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    if (settings.credentials === 'keys') {
      try {
        const [accessKeyId, secretAccessKey] = await Promise.all([this.secrets.get(SECRET_NAMES.accessKeyId), this.secrets.get(SECRET_NAMES.secretAccessKey)]);
        if (accessKeyId === undefined || secretAccessKey === undefined) return { unavailable: 'no_keys' };
        credentials = { accessKeyId, secretAccessKey };
      } catch (err) {
        if (err instanceof SecretStoreError) return { unavailable: 'secrets_unreadable' };
        throw err;
      }
    }
    // The fingerprint holds the key id, never the secret: a changed secret under the same id is
    // rare and costs one failed request before the operator saves again.
    const fingerprint = JSON.stringify([settings.region, settings.endpoint, settings.snsEndpoint, settings.prefix, settings.credentials, credentials?.accessKeyId ?? null, credentials?.secretAccessKey.length ?? 0]);
    if (this.current?.fingerprint === fingerprint) return this.current.connection;
    // Callers arriving while the clients are being built share that build: two builds would
    // each close the other's clients under requests in flight.
    if (this.building?.fingerprint === fingerprint) return this.building.connection;
    const connection = this.build(settings, credentials);
    this.building = { fingerprint, connection };
    try {
      const built = await connection;
      if (this.building?.connection === connection) {
        this.close();
        this.current = { fingerprint, connection: built };
      }
      return built;
    } finally {
      if (this.building?.connection === connection) this.building = null;
    }
  }

  private async build(settings: TeamAwsSettings, credentials: { accessKeyId: string; secretAccessKey: string } | undefined): Promise<TeamConnection> {
    // Loaded on demand: a seat without a team never pays for the SDKs at start.
    const [{ DynamoDBClient }, { SNSClient }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@aws-sdk/client-sns')]);
    const common = {
      region: settings.region,
      credentials,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    };
    return {
      settings,
      names: teamResourceNames(settings.prefix),
      seatId: this.store.seatId(),
      dynamo: new DynamoDBClient({ ...common, endpoint: settings.endpoint || undefined }),
      sns: new SNSClient({ ...common, endpoint: settings.snsEndpoint || settings.endpoint || undefined }),
    };
  }

  close(): void {
    if (!this.current) return;
    this.current.connection.dynamo.destroy();
    this.current.connection.sns.destroy();
    this.current = null;
  }
}
