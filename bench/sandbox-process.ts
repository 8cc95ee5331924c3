/** The sandbox in its own process, so the server does not share an event loop with what is measured. */
import { startSandbox } from '../main/sandbox/server';

const sandbox = await startSandbox();
process.send?.({ openaiBaseURL: sandbox.openaiBaseURL });
process.on('message', (msg) => {
  if (msg === 'stop') void sandbox.close().then(() => process.exit(0));
});
process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
