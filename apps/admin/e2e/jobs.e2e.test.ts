import { defineJob, type ApiRuntime } from '@atrium/api/server';
import { openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startAdminApp, type AdminApp } from './admin-app';

describe('the background jobs page in a browser, as an administrator', () => {
  let app: AdminApp;
  let runtime: ApiRuntime;
  let server: AppServer;
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
    app = await startAdminApp({ workJobs: true, jobs: [export_] });
    ({ runtime, server } = app);
    ({ page, pageErrors } = await app.adminPage('jobs-admin'));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
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
