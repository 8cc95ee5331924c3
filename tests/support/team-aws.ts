import { SECRET_NAMES } from '../../main/alerts/channels';
import { TeamAws, type TeamConnection } from '../../main/aws/clients';
import { TeamAwsStore } from '../../main/aws/settings';
import { manualClock, type Clock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { DEFAULT_TEAM_AWS_SETTINGS, type TeamAwsSettings } from '../../shared/aws';
import { silentKeychain, useSecretStores } from './secrets';

export const TEST_KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

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
