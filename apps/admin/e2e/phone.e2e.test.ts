import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';

describe('the admin app on a phone', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
  });

  it('fits its header in 390 px, with the language switch in view', async () => {
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { role: 'admin' });
    em.assign(user, { displayName: 'Prof. Dr. Ayşegül Karaosmanoğlu' });
    await em.flush();
    const { token } = await createSession(em, user, { type: 'active_session' });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'tr-TR', extraHTTPHeaders: { 'accept-language': 'tr-TR,tr;q=0.9' } });
    await page.context().addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const errors = collectPageErrors(page);
    await openPage(page, server.url);
    await page.getByRole('heading', { level: 1, name: 'Genel bakış' }).waitFor();

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const name of ['English', 'Türkçe']) {
      const box = await page.getByRole('button', { name, exact: true }).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    }
    expect(errors).toEqual([]);
  });
});
