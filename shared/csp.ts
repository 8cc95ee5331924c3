/**
 * The renderer's one Content-Security-Policy. The Electron shell sends it as a header, the browser
 * host as a header, and the build writes it into index.html's meta tag (which is what protects
 * the packaged app's file:// page). Policies delivered together are intersected, so a second,
 * drifted copy anywhere would silently tighten or break the others.
 *
 * No `frame-ancestors`: a meta tag cannot carry it (Chromium logs an error and ignores it), and the
 * policy must be the same string everywhere; the browser host sends X-Frame-Options instead.
 */
const DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

const serialize = (directives: Readonly<Record<string, readonly string[]>>) =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

export const CONTENT_SECURITY_POLICY = serialize(DIRECTIVES);

export type PolicyOptions = { dev?: false } | { dev: true; /** e.g. http://localhost:5173 */ devServer: string };

/**
 * The policy, or in development its one widening: React Refresh runs an inline preamble, Vite
 * injects imported CSS as inline <style> elements, and HMR talks over the dev server's websocket.
 */
export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  if (!options.dev) return CONTENT_SECURITY_POLICY;
  const server = new URL(options.devServer);
  const socket = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  return serialize({
    ...DIRECTIVES,
    'script-src': [...DIRECTIVES['script-src']!, "'unsafe-inline'"],
    'style-src': [...DIRECTIVES['style-src']!, "'unsafe-inline'"],
    'connect-src': [...DIRECTIVES['connect-src']!, socket],
  });
}
