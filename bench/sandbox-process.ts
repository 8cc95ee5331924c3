/** The sandbox in its own process, so the server does not share an event loop with what is measured. */
import { startSandbox } from '../main/sandbox/server';

const sandbox = await startSandbox();
process.send?.({ openaiBaseURL: sandbox.openaiBaseURL });
process.on('message', (msg: unknown) => {
  if (msg === 'stop') void sandbox.close().then(() => process.exit(0));
  else if (typeof msg === 'object' && msg !== null && 'latencyMs' in msg && typeof msg.latencyMs === 'number') {
    sandbox.setLatency('openai', msg.latencyMs);
    // The ack lets the bench start measuring only once the new delay is in force.
    process.send?.({ latencyMs: msg.latencyMs });
  }
});
process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
