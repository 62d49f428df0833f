import http from 'node:http';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession, validateSessionToken } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

const PUBLIC_PAGES = ['/', '/login', '/register'];
const SIGNED_IN_PAGES = ['/chat', '/account/sessions', '/account/memory', '/account/password'];

describe('security headers and cross-site forms on the web app', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em);
    token = (await createSession(em, user, { type: 'active_session' })).token;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
  });

  const cookie = () => `atrium_session=${token}`;

  it('sends a nonce CSP, no framing, nosniff and a referrer policy on every page, the nonce on every inline script', async () => {
    const nonces = new Set<string>();
    const visits = [...PUBLIC_PAGES.map((path) => ({ path, headers: {} })), ...SIGNED_IN_PAGES.map((path) => ({ path, headers: { cookie: cookie() } }))];
    for (const { path, headers } of visits) {
      const response = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
      expect(response.status, path).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, `${path}: ${csp}`).toBeTruthy();
      nonces.add(nonce!);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      // Plain HTTP in tests: no HSTS (it is sent when cookies are Secure).
      expect(response.headers.get('strict-transport-security')).toBeNull();

      const html = await response.text();
      const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1]!);
      expect(inlineScripts.length, path).toBeGreaterThan(0);
      for (const attributes of inlineScripts) expect(attributes, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(visits.length); // a fresh nonce per response
  });

  it('keeps an idle connection open longer than a load balancer keeps its own, and says so', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ keepAlive: string; port: number | undefined }>((resolve, reject) => {
        http
          .get(`${server.url}/healthz`, { agent }, (response) => {
            const port = response.socket.localPort;
            response.resume();
            response.once('end', () => resolve({ keepAlive: String(response.headers['keep-alive']), port }));
          })
          .once('error', reject);
      });
    try {
      const first = await get();
      const second = await get();
      expect(first.keepAlive).toBe('timeout=65');
      expect(second.port).toBe(first.port);
    } finally {
      agent.destroy();
    }
  });

  it('works in a browser under the policy: signed in, every page renders with no violation or error', async () => {
    const context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    for (const path of SIGNED_IN_PAGES) {
      await openPage(page, `${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), path).toEqual([]);
    }
    // Hydrated and interactive: client-side navigation works.
    await openPage(page, `${server.url}/account/sessions`);
    await page.locator('a[href="/account/password"]:visible').first().click();
    await page.waitForURL(`${server.url}/account/password`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('answers a sign-out form posted by another site with 403 and the app’s error page, logging nothing, the session intact', async () => {
    const errorLog = vi.mocked(console.error);
    const response = await fetch(`${server.url}/logout`, {
      method: 'POST',
      headers: { cookie: cookie(), origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain('Request refused');
    expect(html).toContain('<html');
    expect(errorLog).not.toHaveBeenCalled();
    expect(await validateSessionToken(runtime.orm.em.fork(), token)).not.toBeNull();

    // The same form from our own page signs out.
    const ours = await fetch(`${server.url}/logout`, {
      method: 'POST',
      headers: { cookie: cookie(), origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(ours.status).toBe(302);
    expect(await validateSessionToken(runtime.orm.em.fork(), token)).toBeNull();
  });
});
