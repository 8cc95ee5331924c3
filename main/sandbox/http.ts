import type { IncomingMessage, Server } from 'node:http';

/**
 * Reads a request body of at most `maxBytes` as UTF-8, then calls `onBody`. Past the limit it
 * stops keeping chunks and calls `onTooLarge` once instead (the caller answers 413). A client
 * that goes away mid-body is not an error worth surfacing.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number, onTooLarge: () => void, onBody: (body: string) => void, gone: () => boolean): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > maxBytes) {
      tooLarge = true;
      chunks.length = 0;
      onTooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge || gone()) return;
    onBody(Buffer.concat(chunks, size).toString('utf8'));
  });
  req.on('error', () => {});
}

/** Listens on `host` (loopback, always) and resolves once bound, or rejects with the bind error. */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
