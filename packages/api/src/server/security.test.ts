import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders, type SecurityHeaderOptions } from './security';

/** An app with the security headers in front of a JSON answer and a page that prints its nonce. */
async function serve(options: SecurityHeaderOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(options));
  app.get('/api/thing', (_req, res) => void res.json({ ok: true }));
  app.get('/page', (_req, res) => void res.type('html').send(`<script nonce="${(res.locals as { cspNonce: string }).cspNonce}"></script>`));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const scriptNonce = (csp: string) => /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];

describe('security headers', () => {
  let plain: Awaited<ReturnType<typeof serve>>;
  let secure: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    plain = await serve({ secure: false, development: false });
    secure = await serve({ secure: true, development: false });
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  it('are on an API answer as on a page: a CSP forbidding framing, nosniff, no framing, a strict referrer policy', async () => {
    for (const path of ['/api/thing', '/page']) {
      const response = await fetch(`${plain.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it("gives every response a fresh nonce, the one the page's inline scripts carry", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${plain.url}/page`);
      const nonce = scriptNonce(response.headers.get('content-security-policy') ?? '');
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(await response.text()).toBe(`<script nonce="${nonce}"></script>`);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(300);
  });

  it('over HTTPS adds HSTS and upgrades insecure requests', async () => {
    const response = await fetch(`${secure.url}/api/thing`);
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(scriptNonce(response.headers.get('content-security-policy') ?? '')).toBeTruthy();
  });
});
