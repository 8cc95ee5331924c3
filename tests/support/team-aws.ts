import { SECRET_NAMES } from '../../main/alerts/channels';
import { TeamAws, type TeamConnection } from '../../main/aws/clients';
import { TeamAwsStore } from '../../main/aws/settings';
import { type Db, openDatabase } from '../../main/db/open';
import { DB_FILE } from '../../main/paths';
import { manualClock, type Clock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS, type TeamAwsSettings } from '../../shared/aws';
import { join } from 'node:path';
import { silentKeychain, useSecretStores } from './secrets';

export const TEST_KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** The browser host's environment for a seat whose team settings use `default` credentials: the SDK's chain finds these keys. */
export const TEAM_HOST_ENV = { AWS_ACCESS_KEY_ID: TEST_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey };

/**
 * Makes `dataDir` a seat whose live file has the team layer on, pointed at `endpoint` with
 * `default` credentials (start its host with `TEAM_HOST_ENV`); `seed` writes more into the file first.
 */
export function teamSeatDir(dataDir: string, endpoint: string, seed?: (db: Db) => void): string {
  const db = openDatabase(join(dataDir, DB_FILE));
  try {
    new TeamAwsStore(db, manualClock(), silentLogger).set({ ...DEFAULT_TEAM_AWS_SETTINGS, enabled: true, region: 'eu-west-1', credentials: 'default', endpoint });
    seed?.(db);
  } finally {
    db.close();
  }
  return dataDir;
}

/** A live data folder with a secret store, the seat's keys and the team settings pointed at loopback emulators. */
export function useTeamAws() {
  const stores = useSecretStores();
  const opened: TeamAws[] = [];
  return {
    async open(settings: Partial<TeamAwsSettings>, clock: Clock = manualClock()) {
      const { store: secrets, db } = await stores.open(stores.tempDir(), { keychain: silentKeychain() });
      await secrets.set(SECRET_NAMES.accessKeyId, TEST_KEYS.accessKeyId);
      await secrets.set(SECRET_NAMES.secretAccessKey, TEST_KEYS.secretAccessKey);
      const store = new TeamAwsStore(db, clock, silentLogger);
      store.set({ ...DEFAULT_TEAM_AWS_SETTINGS, region: 'eu-west-1', prefix: 'agency', ...settings });
      const aws = new TeamAws(store, secrets);
      opened.push(aws);
      const connect = async (): Promise<TeamConnection> => {
        const c = await aws.connect(false);
        if (!('dynamo' in c)) throw new Error(`expected a connection, got ${JSON.stringify(c)}`);
        return c;
      };
      return { aws, store, secrets, connect };
    },
    closeAll() {
      for (const aws of opened.splice(0)) aws.close();
    },
  };
}
