/**
 * The syncing process of `aws.sync_peak_rss_mb`: opens a seat's database with a large backlog,
 * runs a bounded number of relay passes of the real sync against dynalite, and sends back its
 * peak resident set (the kernel's maxRSS). argv[2]: JSON { dbPath, endpoint, zone, passes }.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TeamAwsStore } from '../main/aws/settings';
import { openDatabase } from '../main/db/open';
import { Ledger } from '../main/ledger/ledger';
import { createOutbox } from '../main/outbox';
import { systemClock } from '../main/ports/clock';
import { silentLogger } from '../main/ports/logger';
import { LedgerSync } from '../main/sync/ledger-sync';
import { teamResourceNames } from '../shared/aws';

const { dbPath, endpoint, zone, passes } = JSON.parse(process.argv[2] ?? '{}') as { dbPath: string; endpoint: string; zone: string; passes: number };
const db = openDatabase(dbPath);
const outbox = createOutbox({ db, clock: systemClock });
const ledger = new Ledger(db, systemClock, outbox, { timeZone: zone });
const store = new TeamAwsStore(db, systemClock, silentLogger);
const dynamo = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, maxAttempts: 1 });
const connection = { settings: store.get(), names: teamResourceNames('huntaze'), seatId: store.seatId(), dynamo, sns: null as never };
const sync = new LedgerSync({ db, ledger: () => ledger, connect: async () => connection, enabled: () => true, operator: () => 'Bench', clock: systemClock });
const relay = outbox.relay([sync.consumer()]);
const backlogBefore = sync.status().backlogRows;
let delivered = 0;
for (let i = 0; i < passes; i++) delivered += (await relay.runOnce()).delivered;
const synced = sync.status();
process.send?.({ maxRssKb: process.resourceUsage().maxRSS, backlogBefore, backlogAfter: synced.backlogRows, syncedRows: synced.syncedRows, delivered });
dynamo.destroy();
db.close();
process.disconnect?.();
