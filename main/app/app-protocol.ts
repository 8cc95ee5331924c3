import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, resolveAppRequest } from './urls';

/** Before `ready`: app: is a standard, secure origin, so storage, fetch and the CSP's 'self' behave as for https. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer on app://huntaze/ (resolution and its refusals: urls.ts, tested under Node). */
export function serveRenderer(root: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const r = resolveAppRequest(request.url, root);
    if (r.kind !== 'file') return new Response(null, { status: r.kind === 'forbidden' ? 403 : 404 });
    return new Response(await readFile(r.path), {
      headers: { 'content-type': r.contentType, 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
    });
  });
}
