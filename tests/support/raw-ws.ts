/**
 * A WebSocket client written by hand over a TCP socket, so a test can send frames that no
 * well-behaved library would: unmasked, with reserved opcodes, invalid UTF-8, oversized.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, reserved: 0x3 } as const;

export interface FrameOptions {
  opcode: number;
  payload: Buffer;
  /** Clients must mask every frame (RFC 6455 §5.1); `false` breaks that rule on purpose. */
  masked?: boolean;
}

/** Encodes one final frame as a client sends it. */
export function clientFrame({ opcode, payload, masked = true }: FrameOptions): Buffer {
  const len = payload.length;
  const lenBytes = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lenBytes + (masked ? 4 : 0));
  header[0] = 0x80 | opcode;
  const maskBit = masked ? 0x80 : 0;
  if (lenBytes === 0) header[1] = maskBit | len;
  else if (lenBytes === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  mask.copy(header, 2 + lenBytes);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, body]);
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

export interface RawSocket {
  socket: Socket;
  send(bytes: Buffer): void;
  /** The next frame the server sends, or null when the connection ends first. */
  nextFrame(): Promise<ServerFrame | null>;
  /** Resolves once the server has closed its side of the TCP connection. */
  ended: Promise<void>;
}

/** Upgrades a TCP connection to a WebSocket with the headers the browser host requires. */
export async function openRawSocket(port: number, token: string): Promise<RawSocket> {
  const socket = connect({ host: '127.0.0.1', port });
  // Writing to a socket the server has just closed fails with EPIPE/ECONNRESET; the test looks at what the server sent.
  socket.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });

  const key = randomBytes(16).toString('base64');
  socket.write(
    [
      `GET /ws?token=${token} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );

  let buffered = Buffer.alloc(0);
  let done = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  socket.once('close', () => {
    done = true;
    wake?.();
  });
  const more = () => new Promise<void>((resolve) => (wake = resolve));

  for (;;) {
    const end = buffered.indexOf('\r\n\r\n');
    if (end >= 0) {
      const head = buffered.subarray(0, end).toString('latin1');
      buffered = buffered.subarray(end + 4);
      const expected = createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
      if (!head.startsWith('HTTP/1.1 101') || !head.includes(`Sec-WebSocket-Accept: ${expected}`)) {
        socket.destroy();
        throw new Error(`the host refused the upgrade: ${head.split('\r\n')[0]}`);
      }
      break;
    }
    if (done) throw new Error('the host closed the connection during the handshake');
    await more();
  }

  return {
    socket,
    ended,
    send: (bytes) => void socket.write(bytes),
    async nextFrame() {
      for (;;) {
        const frame = parseServerFrame(buffered);
        if (frame) {
          buffered = buffered.subarray(frame.size);
          return { opcode: frame.opcode, payload: frame.payload };
        }
        if (done) return null;
        await more();
      }
    },
  };
}

function parseServerFrame(buf: Buffer): (ServerFrame & { size: number }) | null {
  if (buf.length < 2) return null;
  const opcode = buf[0]! & 0x0f;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if (buf.length < offset + len) return null;
  return { opcode, payload: buf.subarray(offset, offset + len), size: offset + len };
}

/** Reads frames until the server's close frame and returns its status code; null if none came. */
export async function closeCode(raw: RawSocket): Promise<number | null> {
  for (;;) {
    const frame = await raw.nextFrame();
    if (!frame) return null;
    if (frame.opcode === OPCODE.close) return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
  }
}

/**
 * Asks for an upgrade with a wrong token and resets the connection at once, so the host's refusal
 * is written to a socket that is already gone. The reset races the refusal: callers repeat it.
 */
export async function resetDuringRefusedHandshake(port: number): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(
    [
      'GET /ws?token=wrong HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  socket.resetAndDestroy();
  await once(socket, 'close');
}
