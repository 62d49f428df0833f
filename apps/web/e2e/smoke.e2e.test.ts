import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

describe('the web app in a browser', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

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

  beforeAll(async () => {
    // A browser that prefers English, so the first visit shows the default language.
    page = await browser.newPage({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    pageErrors = collectPageErrors(page);
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('welcomes a visitor with the product name and a live status from the API', async () => {
    await openPage(page, server.url);
    await expect.poll(() => page.getByTestId('product-name').textContent()).toBe('Atrium');
    expect(await page.title()).toBe('Atrium · AI assistant for the university');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe("Your university's AI assistant");

    // Rendered as "Checking…" on the server; the browser's tRPC query turns it green.
    const status = page.getByRole('status');
    await status.filter({ hasText: 'Operational' }).waitFor({ timeout: 30_000 });
    expect(await status.getAttribute('data-status')).toBe('ok');
  });

  it('switches to Turkish in place and remembers the choice', async () => {
    await page.getByRole('button', { name: 'Türkçe' }).click();
    await page.getByRole('heading', { level: 1, name: 'Üniversitenizin yapay zekâ asistanı' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('tr');
    expect(await page.getByRole('button', { name: 'Türkçe' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('status').filter({ hasText: 'Çalışıyor' }).waitFor();

    // A fresh load is rendered in Turkish by the server, from the cookie.
    await reloadPage(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Üniversitenizin yapay zekâ asistanı');
    expect(await page.title()).toBe('Atrium · Üniversitenin yapay zekâ asistanı');
    expect(await page.getByRole('link', { name: 'Ana içeriğe geç' }).count()).toBe(1);
    // Only the Turkish strings come with it (the page's groups: the core and the landing page's),
    // preloaded with the page's other scripts.
    expect(await page.locator('link[rel="modulepreload"][href^="/assets/core.tr-"]').count()).toBe(1);
    expect(await page.locator('link[rel="modulepreload"][href^="/assets/home.tr-"]').count()).toBe(1);
    expect(await page.locator('link[rel="modulepreload"][href*=".en-"]').count()).toBe(0);
  });

  it('serves the tRPC endpoint on the same origin', async () => {
    const response = await fetch(`${server.url}/api/trpc/health.check`);
    expect(response.status).toBe(200);
    expect((await response.json()).result.data.json).toMatchObject({ status: 'ok', database: 'ok', product: 'Atrium' });
  });
});
