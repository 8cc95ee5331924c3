import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionPolicy } from '../../main/app/session-policy';
import { serveStatic } from '../../main/web/static';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../shared/csp';
import { ROOT } from '../support/web-process';

const RENDERER_OUT = join(ROOT, 'out', 'renderer');

const unescapeAttribute = (value: string) =>
  value.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function metaPolicies(html: string): string[] {
  return [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => unescapeAttribute(m[1]!));
}

const directives = (policy: string) =>
  new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)] as const));

/** The headers the browser host sends with the built index.html, over a real loopback server. */
async function hostHeaders(): Promise<Record<string, unknown>> {
  const server = createServer((req, res) => void serveStatic(RENDERER_OUT, req.url ?? '/', res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers));
      })
        .on('error', reject)
        .end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('one Content-Security-Policy', () => {
  it('the built index.html, the browser host header and the Electron shell all send the one constant', async () => {
    expect(metaPolicies(readFileSync(join(RENDERER_OUT, 'index.html'), 'utf8'))).toEqual([CONTENT_SECURITY_POLICY]);
    const headers = await hostHeaders();
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(sessionPolicy(undefined)).toBe(CONTENT_SECURITY_POLICY);
  });

  it('the checked-in index.html carries no second copy', () => {
    expect(readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8')).not.toMatch(/Content-Security-Policy/i);
  });

  it('is strict, and fit for a meta tag: nothing inline, no eval, no directive a meta tag ignores', async () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|frame-ancestors|report-uri|sandbox/);
    // Framing is refused by the header a meta tag cannot replace.
    expect((await hostHeaders())['x-frame-options']).toBe('DENY');
  });

  it('dev widens exactly three directives, for the dev server it names, and the shell widens the same way', () => {
    const devServer = 'http://localhost:5173';
    const dev = contentSecurityPolicy({ dev: true, devServer });
    expect(sessionPolicy(devServer)).toBe(dev);

    const strict = directives(CONTENT_SECURITY_POLICY);
    const widened = directives(dev);
    expect([...widened.keys()]).toEqual([...strict.keys()]);
    const added = Object.fromEntries(
      [...widened].map(([name, sources]) => [name, sources.filter((s) => !strict.get(name)!.includes(s))]).filter(([, extra]) => extra!.length > 0),
    );
    expect(added).toEqual({
      'script-src': ["'unsafe-inline'"],
      'style-src': ["'unsafe-inline'"],
      'connect-src': ['ws://localhost:5173'],
    });
    expect(directives(contentSecurityPolicy({ dev: true, devServer: 'https://127.0.0.1:5443/' })).get('connect-src')).toEqual([
      "'self'",
      'wss://127.0.0.1:5443',
    ]);
  });
});
