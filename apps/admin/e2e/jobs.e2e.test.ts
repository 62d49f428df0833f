import { createApiRuntime, defineJob, type ApiRuntime } from '@atrium/api/server';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAppServer } from '../server';
import { signInAsAdmin } from './content-fixtures';
import { migratedPgliteTarget } from '@atrium/db/testing';

describe('the background jobs page in a browser, as an administrator', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let providerUp = false;

  /** A job that fails while its "provider" is down, as a real one would. */
  const export_ = defineJob({
    name: 'test.export',
    data: z.object({ n: z.number() }),
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    async run() {
      if (!providerUp) throw new Error('The storage server refused the upload (503).');
    },
  });

  beforeAll(async () => {
    runtime = await createApiRuntime({
      target: await migratedPgliteTarget(),
      migrate: true,
      seed: true,
      log: () => {},
      workJobs: true,
      jobs: [export_],
    });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    context = await browser.newContext({
      locale: 'en-GB',
      extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' },
      viewport: { width: 1280, height: 900 },
    });
    await signInAsAdmin(runtime, context, server.url, 'jobs-admin');
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  it('shows a failed job with its reason, and runs it again on retry', async () => {
    const id = (await runtime.jobs.enqueue(export_, { n: 1 }))!;
    await expect.poll(async () => (await runtime.jobs.find(export_.name, id))?.state).toBe('failed');

    await openPage(page, `${server.url}/jobs`);
    await expect.poll(() => page.getByTestId('jobs-failed').textContent()).toBe('1');
    const row = page.locator(`[data-job="${id}"]`);
    await expect.poll(() => row.getByTestId('job-reason').textContent()).toContain('The storage server refused the upload (503).');
    expect(await page.locator('[data-kind="test.export"] td').allTextContents()).toEqual(['0', '0', '1', '0']);

    providerUp = true;
    await row.getByRole('button', { name: `Retry job ${id}` }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'The job is waiting to run again.' }).count()).toBe(1);
    await expect.poll(async () => (await runtime.jobs.find(export_.name, id))?.state).toBe('completed');

    await openPage(page, `${server.url}/jobs?status=completed&name=test.export`);
    await expect.poll(() => page.locator(`[data-job="${id}"]`).count()).toBe(1);
    expect(await page.getByTestId('jobs-failed').textContent()).toBe('0');
  });
});
