import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

describe('the admin app in a browser', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    // Every admin page needs an administrator: one signed in straight from the database.
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { role: 'admin' });
    const { token } = await createSession(em, user, { type: 'active_session' });
    page = await browser.newPage({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    await page.context().addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    pageErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('shows the dashboard with the product name and a live status from the API', async () => {
    await openPage(page, server.url);
    expect(await page.getByTestId('product-name').textContent()).toBe('Atrium');
    expect(await page.getByTestId('assistant-name').textContent()).toBe('Atrium');
    expect(await page.title()).toBe('Atrium admin');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');

    const status = page.getByRole('status');
    await status.filter({ hasText: 'Operational' }).waitFor({ timeout: 30_000 });
    expect(await status.getAttribute('data-status')).toBe('ok');
    expect(await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
  });

  it('switches to Turkish in place and remembers the choice', async () => {
    await page.getByRole('button', { name: 'Türkçe' }).click();
    await page.getByRole('heading', { level: 1, name: 'Genel bakış' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('tr');
    await page.getByRole('status').filter({ hasText: 'Çalışıyor' }).waitFor();

    await reloadPage(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Genel bakış');
    expect(await page.title()).toBe('Atrium yönetim paneli');
  });
});
