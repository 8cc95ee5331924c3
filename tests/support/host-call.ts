import WebSocket from 'ws';
import { type Input, type MethodName, type Output, WEB } from '../../shared/contract';
import type { Result } from '../../shared/result';

/**
 * Calls one contract method on a running browser host the way its page does (same socket, same
 * token, same origin), for a test to read what the page does not show or to set up a fixture.
 */
export async function hostCall<M extends MethodName>(hostUrl: string, method: M, input: Input<M>): Promise<Result<Output<M>>> {
  const url = new URL(hostUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get(WEB.tokenParam) ?? '';
  const ws = new WebSocket(`ws://${url.host}${WEB.socketPath}?${WEB.tokenParam}=${token}`, { origin: url.origin });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return await new Promise<Result<Output<M>>>((resolve, reject) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; id?: number; result?: unknown };
        if (frame.type === 'reply' && frame.id === 1) resolve(frame.result as Result<Output<M>>);
      });
      ws.once('close', () => reject(new Error(`the host closed the socket before answering ${method}`)));
      ws.send(JSON.stringify({ id: 1, method, input }));
    });
  } finally {
    ws.terminate();
  }
}
