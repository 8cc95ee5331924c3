/**
 * The bench's browser tab, in its own process so its work never lands on the loop being measured:
 * it speaks the real WebSocket protocol to the host and keeps a fixed number of AI calls in flight.
 */
import WebSocket from 'ws';
import type { CompletionRequest } from '../../shared/ai';

export type ClientCommand = { url: string; warmup: number; total: number; inFlight: number };
export type ClientReport = { phase: 'warm' } | { phase: 'done'; ok: number; failed: number; seconds: number; firstFailure: unknown };

const request: CompletionRequest = {
  purpose: 'personalize',
  messages: [
    { role: 'system', content: 'You write short, warm, personal messages for a creator to send to a fan.' },
    { role: 'user', content: 'Fan: Sam, subscribed 3 months, likes behind-the-scenes posts. Write a thank-you note.' },
  ],
  modelClass: 'standard',
  maxOutputTokens: 60,
  stream: false,
};

const send = (report: ClientReport) => process.send!(report);

async function run({ url, warmup, total, inFlight }: ClientCommand) {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token');
  const ws = new WebSocket(`ws://${u.host}/ws?token=${token}`, { origin: u.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<number, (result: { ok: boolean }) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'reply') waiting.get(frame.id)?.(frame.result);
  });
  let id = 0;
  const call = (method: string, input: unknown) =>
    new Promise<{ ok: boolean; value?: { outcome?: string } }>((resolve) => {
      const mine = id++;
      waiting.set(mine, (r) => {
        waiting.delete(mine);
        resolve(r);
      });
      ws.send(JSON.stringify({ id: mine, method, input }));
    });

  const enabled = await call('settings.update', { sandboxMode: true });
  if (!enabled.ok) throw new Error('could not turn Sandbox mode on');

  let ok = 0;
  let failed = 0;
  let firstFailure: unknown = null;
  const drive = async (count: number) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        const r = await call('ai.complete', request);
        if (r.ok && r.value?.outcome === 'ok') ok++;
        else {
          failed++;
          firstFailure ??= r;
        }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  };

  await drive(warmup);
  send({ phase: 'warm' });
  await new Promise((resolve) => process.once('message', resolve));
  ok = failed = 0;
  const started = performance.now();
  await drive(total);
  send({ phase: 'done', ok, failed, seconds: (performance.now() - started) / 1000, firstFailure });
  ws.close();
}

process.once('message', (command: ClientCommand) => {
  run(command).catch((err: unknown) => {
    process.stderr.write(`bench client: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
});
