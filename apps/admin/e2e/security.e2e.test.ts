import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { migratedPgliteTarget } from '@atrium/db/testing';
import type { AppServer } from '@atrium/ui/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';

const ROUTES = fileURLToPath(new URL('../app/routes/', import.meta.url));

/**
 * Every route file of the admin app as a URL (Remix flat routes: `users.$id` → `/users/<id>`,
 * `analytics[.]csv` → `/analytics.csv`), so a page added later is covered without editing this test.
 */
function adminRoutes(params: Record<string, string>) {
  return readdirSync(ROUTES)
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => {
      const name = file.replace(/\.tsx?$/, '');
      // A dot in brackets is a literal dot; any other dot separates segments.
      const segments = (name.match(/(?:\[\.\]|[^.])+/g) ?? [])
        .filter((segment) => segment !== '_index')
        .map((segment) => (segment.startsWith('$') ? params[segment.slice(1)]! : segment.replaceAll('[.]', '.')));
      return { file, path: `/${segments.join('/')}` };
    });
}

describe('security headers on every page of the admin app, through its real HTTP server', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let cookie: string;
  let adminId: string;

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { role: 'admin' });
    adminId = user.id;
    cookie = `atrium_session=${(await createSession(em, user, { type: 'active_session' })).token}`;
  });
  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  const expectSecurityHeaders = (response: Response, what: string) => {
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp, what).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("object-src 'none'");
    expect(response.headers.get('x-frame-options'), what).toBe('DENY');
    expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(response.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
    // Plain HTTP here: HSTS is sent only when cookies are Secure.
    expect(response.headers.get('strict-transport-security'), what).toBeNull();
    return /'nonce-([^']+)'/.exec(csp)![1]!;
  };

  it('sends a nonce CSP, no framing, nosniff and a referrer policy on every route, and the nonce on every inline script', async () => {
    const routes = adminRoutes({ id: adminId });
    expect(routes.map((route) => route.path)).toEqual(expect.arrayContaining(['/', '/login', '/users', `/users/${adminId}`, '/analytics.csv']));
    const nonces = new Set<string>();
    for (const route of routes) {
      const response = await fetch(`${server.url}${route.path}`, { headers: { cookie }, redirect: 'manual' });
      const what = `${route.file} (${route.path}) → ${response.status}`;
      expect(response.status, what).toBeLessThan(500);
      nonces.add(expectSecurityHeaders(response, what));
      const html = await response.text();
      if (!response.headers.get('content-type')?.includes('text/html')) continue;
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy')!)![1]!;
      const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1]!);
      expect(inlineScripts.length, what).toBeGreaterThan(0);
      for (const attributes of inlineScripts) expect(attributes, what).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(routes.length); // a fresh nonce per response
  });

  it('sends them signed out (the sign-in page, a page redirecting to it) and on the API too', async () => {
    for (const [path, headers] of [
      ['/login', {}],
      ['/users', {}],
      ['/api/trpc/auth.me', { cookie }],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
      expectSecurityHeaders(response, `${path} → ${response.status}`);
      await response.body?.cancel();
    }
  });
});
