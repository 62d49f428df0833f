import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { TransparencySettings, SINGLETON_ID } from '@atrium/db';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { signInAsAdmin } from './content-fixtures';

describe('what each answer shows, set in the admin app', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' }, viewport: { width: 1280, height: 900 } });
    await signInAsAdmin(runtime, context, server.url, 'answers-admin');
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
  });

  it('lets students see tokens and cost under answers, off until ticked', async () => {
    await openPage(page, `${server.url}/settings`);
    const panel = page.getByRole('region', { name: 'Under each answer' });
    const students = panel.getByRole('checkbox', { name: 'Students' });
    expect(await students.isChecked()).toBe(false);
    expect(await panel.getByRole('checkbox', { name: 'Staff' }).isChecked()).toBe(true);

    await students.check();
    await panel.getByRole('button', { name: 'Save answer settings' }).click();
    await panel.getByText('Answer settings saved.').waitFor();
    const saved = await runtime.orm.em.fork().findOneOrFail(TransparencySettings, SINGLETON_ID);
    expect(saved.answerUsageRoles).toEqual(['student', 'staff', 'admin']);
    await reloadPage(page);
    expect(await page.getByRole('region', { name: 'Under each answer' }).getByRole('checkbox', { name: 'Students' }).isChecked()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
