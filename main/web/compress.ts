import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text worth compressing; images and fonts already are. */
const COMPRESSIBLE = new Set(['.js', '.css', '.json', '.svg']);
/** Below this, headers cost more than compression saves. */
const MIN_BYTES = 1024;

export const isCompressible = (ext: string, size: number) => COMPRESSIBLE.has(ext) && size >= MIN_BYTES;

/**
 * The encoding the browser accepts that we prefer (brotli, then gzip), honouring `q=0`. A
 * wildcard stands for both.
 */
export function pickEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (e: Encoding) => weights.get(e) ?? weights.get('*') ?? 0;
  return (['br', 'gzip'] as const).find((e) => weight(e) > 0);
}

/**
 * Each built file compressed once per encoding, on first request, and kept: the bundle's names
 * carry content hashes and do not change while the host runs. The size and mtime in the key let
 * a rebuild under a running host serve the new bytes rather than the old ones.
 */
export function createCompressionCache() {
  const cache = new Map<string, Promise<Buffer>>();
  return {
    async get(file: string, body: Buffer, encoding: Encoding): Promise<Buffer> {
      const st = await stat(file);
      const key = `${encoding}\0${file}\0${st.size}\0${st.mtimeMs}`;
      let entry = cache.get(key);
      if (!entry) {
        // Brotli's top quality takes seconds on the main bundle, which the first page would wait
        // for; 9 is within a tenth of its size in about a tenth of a second.
        entry =
          encoding === 'br'
            ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
            : gz(body);
        cache.set(key, entry);
        entry.catch(() => cache.delete(key));
      }
      return entry;
    },
  };
}
