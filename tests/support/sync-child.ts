/**
 * The child process of the sync crash test (tests/integration/sync/crash.test.ts): it opens a
 * seat's database the normal way and runs the real sync through the real relay until nothing
 * waits, then prints {"t":"done"} and exits 0. The parent SIGKILLs it while a batch is held open
 * by the fault proxy. `offsetMs` moves its clock forward, so a second run sees the dead run's
 * lease as ended (as it would be, minutes later).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TeamAwsStore } from '../../main/aws/settings';
import { openDatabase } from '../../main/db/open';
import { Ledger } from '../../main/ledger/ledger';
import { createOutbox } from '../../main/outbox';
import { type Clock, systemClock } from '../../main/ports/clock';
import { silentLogger } from '../../main/ports/logger';
import { LedgerSync } from '../../main/sync/ledger-sync';
import { teamResourceNames } from '../../shared/aws';

export interface SyncChildConfig {
  dbPath: string;
  endpoint: string;
  zone: string;
  offsetMs: number;
}

async function main(config: SyncChildConfig): Promise<number> {
  const db = openDatabase(config.dbPath);
  const clock: Clock = { now: () => systemClock.now() + config.offsetMs, monotonic: () => systemClock.monotonic() };
  const outbox = createOutbox({ db, clock });
  const ledger = new Ledger(db, clock, outbox, { timeZone: config.zone });
  const store = new TeamAwsStore(db, clock, silentLogger);
  const dynamo = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: config.endpoint,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
  const connection = { settings: store.get(), names: teamResourceNames('huntaze'), seatId: store.seatId(), dynamo, sns: null as never };
  const sync = new LedgerSync({ db, ledger: () => ledger, connect: async () => connection, enabled: () => true, operator: () => 'Operator', clock, readChunk: 40 });
  const relay = outbox.relay([sync.consumer()]);
  process.stdout.write('{"t":"ready"}\n');
  for (let pass = 0; pass < 100 && sync.status().backlogRows > 0; pass++) await relay.runOnce();
  const left = sync.status().backlogRows;
  process.stdout.write(JSON.stringify({ t: left === 0 ? 'done' : 'stuck', left }) + '\n');
  dynamo.destroy();
  db.close();
  return left === 0 ? 0 : 3;
}

main(JSON.parse(process.argv[2]!) as SyncChildConfig).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
    process.exit(2);
  },
);
