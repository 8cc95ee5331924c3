import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { createCompressionCache, isCompressible, pickEncoding } from './compress';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  // The one policy has no frame-ancestors (a meta tag cannot carry it): this header keeps the app out of frames.
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The built page names its files relatively (Electron loads it from disk), so a page at
 * /settings/providers asks for /settings/assets/x.js: a missing file is looked for under each
 * shorter tail of its path (assets/x.js). The candidate is already inside the root, and so is every tail.
 */
async function findFile(root: string, candidate: string): Promise<string> {
  const parts = candidate.slice(root.length + 1).split(sep);
  for (let i = 0; i < parts.length; i++) {
    const file = join(root, ...parts.slice(i));
    if (await stat(file).then((s) => s.isFile(), () => false)) return file;
  }
  return candidate;
}

const compressed = createCompressionCache();

/**
 * Serves the built renderer; unknown paths get index.html so a reload on any page works. Scripts
 * and styles go out compressed when the browser accepts it. index.html never does: it is tiny and
 * no-store, and is the one response a token-bearing address asks for.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, acceptEncoding?: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    res.writeHead(400, SECURITY_HEADERS).end('Bad request');
    return;
  }
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) {
    res.writeHead(403, SECURITY_HEADERS).end('Forbidden');
    return;
  }
  const ext = extname(candidate);
  const file = ext && CONTENT_TYPES[ext] ? await findFile(root, candidate) : join(root, 'index.html');
  try {
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const cache = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable';
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cache };
    if (!isCompressible(extname(file), body.length)) {
      res.writeHead(200, headers).end(body);
      return;
    }
    // Caches must keep one copy per encoding, even of the plain one.
    headers.Vary = 'Accept-Encoding';
    const encoding = pickEncoding(acceptEncoding);
    const sent = encoding ? await compressed.get(file, body, encoding) : body;
    if (encoding) headers['Content-Encoding'] = encoding;
    headers['Content-Length'] = String(sent.length);
    res.writeHead(200, headers).end(sent);
  } catch {
    res.writeHead(404, SECURITY_HEADERS).end('Not found');
  }
}
