// Kept free of 'electron' so the shell's URL rules can be tested under plain Node.
import { realpathSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { campaignIdSchema } from '../../shared/campaigns';

/**
 * The packaged renderer is served from `app://huntaze/`, a standard secure scheme of our own,
 * never from file: — a file: page could read any file: URL, and every file: page shares one origin.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'huntaze';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Is this URL one of our own renderer pages (the app: origin, or the dev server in development)? */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) return u.origin === new URL(devServerUrl).origin;
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export type AppResource = { kind: 'file'; path: string; contentType: string } | { kind: 'not_found' } | { kind: 'forbidden' };

/**
 * Which file under `root` (the built renderer) an app: request may read. Anything that would leave
 * the root — `..` in any spelling, a symlink pointing out, another host, a NUL — is forbidden; `/`
 * is the entry page; a missing file or an unknown type is not found.
 */
export function resolveAppRequest(url: string, root: string): AppResource {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { kind: 'forbidden' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { kind: 'forbidden' };
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..')) return { kind: 'forbidden' };
  const wanted = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  const base = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(resolve(base, wanted));
  } catch {
    return { kind: 'not_found' };
  }
  const rel = relative(base, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return { kind: 'forbidden' };
  const contentType = TYPES[extname(real).toLowerCase()];
  return contentType ? { kind: 'file', path: real, contentType } : { kind: 'not_found' };
}

/** Hosts the app may send the operator to in their browser (provider consoles and docs); https only. */
const EXTERNAL_HOSTS = ['portal.azure.com', 'learn.microsoft.com', 'platform.openai.com', 'api.slack.com', 'onlyfans.com', 'github.com'];

/** May this link leave the app for the OS browser? Anything else opens nowhere. */
export function isAllowedExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return EXTERNAL_HOSTS.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
}

export const DEEP_LINK_SCHEME = 'huntaze';

/**
 * The renderer path a `huntaze://campaign/<id>` link opens, or null for anything else (a link
 * is operator-clicked input from any web page: only this one shape is honoured).
 */
export function deepLinkPath(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${DEEP_LINK_SCHEME}:` || u.host !== 'campaign' || u.search !== '' || u.username !== '') return null;
  const id = u.pathname.replace(/^\/|\/$/g, '');
  return campaignIdSchema.safeParse(id).success ? `/campaigns/${id}` : null;
}

/** The deep link among a second instance's (or the first launch's) command-line arguments. */
export function deepLinkInArgs(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.startsWith(`${DEEP_LINK_SCHEME}://`)) continue;
    const path = deepLinkPath(arg);
    if (path) return path;
  }
  return null;
}
