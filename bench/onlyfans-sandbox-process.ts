/**
 * The OnlyFans sandbox server in its own process, so answering sends does not share an event loop
 * with the queue whose loop is measured. argv[2]: JSON { apiKey, accounts }. Every account is left
 * unpaced (the bench sends flat out); 'report' answers what the server holds, 'stop' ends it.
 */
import { startOnlyFansSandbox } from '../main/messaging/sandbox/server';

const { apiKey, accounts } = JSON.parse(process.argv[2] ?? '{}') as { apiKey: string; accounts: string[] };
const server = await startOnlyFansSandbox({ apiKey, accounts, plan: { plan: 'bench', perMinute: 60_000_000 } });
for (const account of accounts) server.setLimits(account, { perMinute: 60_000_000, minIntervalMs: 0 });
process.send?.({ url: server.url });
process.on('message', (msg: unknown) => {
  if (msg === 'report') {
    const refs = server.allMessages().map((m) => m.clientRef);
    process.send?.({ received: refs.length, distinct: new Set(refs).size, violations: server.violations().length });
  } else if (msg === 'stop') void server.close().then(() => process.exit(0));
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
