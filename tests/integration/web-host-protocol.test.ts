import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Logger } from '../../main/ports/logger';
import { completionRequestSchema } from '../../shared/ai';
import { MAX_FRAME_BYTES, MAX_MESSAGE_CHARS } from '../../shared/limits';
import { closeCode, openRawSocket, resetDuringRefusedHandshake } from '../support/raw-ws';
import { useWebHosts } from '../support/web-host';
import { largestCompletionRequest, paddedRequest, PROTOCOL_VIOLATIONS, requestFrame } from '../support/wire-limits';

type Line = { level: 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}


/** Sends a raw text frame and resolves with the reply carrying its id, or rejects if the socket closes first. */
function call(ws: WebSocket, id: number, text: string | Buffer): Promise<{ id: number; result: { ok: boolean; value?: unknown; error?: { kind: string; issues?: unknown[] } } }> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.type === 'reply' && msg.id === id) {
        ws.off('message', onMessage).off('close', onClose);
        resolve(msg);
      }
    };
    const onClose = (code: number) => reject(new Error(`socket closed with ${code} before the reply to ${id}`));
    ws.on('message', onMessage).once('close', onClose);
    ws.send(text);
  });
}

describe('browser host under WebSocket protocol errors', () => {
  const startHost = useWebHosts();

  async function start() {
    const { logger, lines } = recordingLogger();
    const { host, client } = await startHost(logger);
    return { host, lines, client };
  }

  it.each(PROTOCOL_VIOLATIONS)('survives $name: logs it, closes that socket, keeps serving others', async (violation) => {
    const { host, lines, client } = await start();
    const bystander = await client();
    expect((await call(bystander, 1, requestFrame('settings.get', {}, 1))).result.ok).toBe(true);

    const raw = await openRawSocket(host.port, host.token);
    raw.send(violation.bytes());
    expect(await closeCode(raw)).toBe(violation.closeCode);
    await raw.ended;

    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ code: violation.wsError }) }));
    expect((await call(bystander, 2, requestFrame('settings.get', {}, 2))).result.ok).toBe(true);
    const newcomer = await client();
    expect((await call(newcomer, 3, requestFrame('settings.get', {}, 3))).result.ok).toBe(true);
  });

  it('survives clients that reset the connection while their handshake is refused', async () => {
    const { host, client } = await start();
    for (let i = 0; i < 20; i++) await resetDuringRefusedHandshake(host.port);
    const ws = await client();
    expect((await call(ws, 1, requestFrame('settings.get', {}, 1))).result.ok).toBe(true);
  });

  it('takes a frame of exactly the limit: an unknown field gets invalid_input on a socket that stays open', async () => {
    const { client } = await start();
    const ws = await client();
    const frame = paddedRequest(MAX_FRAME_BYTES);
    expect(frame.length).toBe(MAX_FRAME_BYTES);
    expect((await call(ws, 1, frame.toString())).result).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect((await call(ws, 2, requestFrame('settings.get', {}, 2))).result.ok).toBe(true);
  });

  it('answers an AI request over the contract’s size limit with invalid_input, not a dropped socket', async () => {
    const { client } = await start();
    const ws = await client();
    const messages = Array.from({ length: 6 }, () => ({ role: 'user', content: 'a'.repeat(MAX_MESSAGE_CHARS) }));
    const frame = requestFrame('ai.complete', { purpose: 'copy', messages, modelClass: 'standard', maxOutputTokens: 16, stream: false }, 1);
    expect(Buffer.byteLength(frame)).toBeLessThan(MAX_FRAME_BYTES);

    const reply = await call(ws, 1, frame);
    expect(reply.result).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(reply.result.error?.issues).toEqual([{ path: ['messages'], code: 'custom', params: { rule: 'max_prompt_chars', maximum: 1_000_000 } }]);
    expect((await call(ws, 2, requestFrame('settings.get', {}, 2))).result.ok).toBe(true);
  });

  it('accepts the largest AI request the contract allows, worst-case JSON escaping included', async () => {
    const { client } = await start();
    const ws = await client();
    const input = largestCompletionRequest();
    expect(completionRequestSchema.safeParse(input).success).toBe(true);
    const frame = requestFrame('ai.complete', input);
    // Bigger than the old fixed 1 MiB limit by a wide margin: the limit now follows the contract.
    expect(Buffer.byteLength(frame)).toBeGreaterThan(5 * (1 << 20));

    const reply = await call(ws, Number.MAX_SAFE_INTEGER, frame);
    // Not configured here, so the orchestrator answers with a failed completion: the request itself was valid.
    expect(reply.result).toMatchObject({ ok: true, value: { outcome: 'failed' } });
  });
});
