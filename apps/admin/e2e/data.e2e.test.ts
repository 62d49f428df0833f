import { jobCatalog, type ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { AuditEvent, Conversation, Message, RetentionSettings } from '@atrium/db';
import { openPage } from '@atrium/testing/browser';
import { readZip } from '@atrium/testing/zip';
import type { AppServer } from '@atrium/ui/server';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAdminApp, type AdminApp } from './admin-app';

/** An administrator exports a student's data and downloads it, then sets retention. */
describe("a user's data in the admin app, in a browser", () => {
  let app: AdminApp;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    app = await startAdminApp({ workJobs: true });
    ({ runtime, server } = app);
    ({ page, pageErrors } = await app.adminPage('data-admin'));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it("exports a student's data from their page and downloads the archive, both audited", async () => {
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { username: 'selin-export' });
    const conversation = em.create(Conversation, { user, title: 'Organic chemistry' });
    em.create(Message, { conversation, role: 'user', content: 'What is a benzene ring?' });
    await em.flush();

    await openPage(page, `${server.url}/users/${user.id}`);
    await page.getByRole('button', { name: "Export this user's data" }).click();
    const exports = page.getByTestId('user-exports');
    const link = exports.getByRole('link', { name: 'Download archive' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^selin-export-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const archive = await readZip(await readFile((await download.path())!));
    expect(JSON.parse(archive.get('account.json')!.toString()).profile.username).toBe('selin-export');
    expect([...archive.values()].map(String).join('\n')).toContain('What is a benzene ring?');

    const audit = runtime.orm.em.fork();
    expect(await audit.count(AuditEvent, { action: 'user.export', target: user.id })).toBe(1);
    expect(await audit.count(AuditEvent, { action: 'user.export.download', target: user.id })).toBe(1);
  });

  it('sets retention periods, refusing an invalid one, on a page that says when the job ran and runs next', async () => {
    // The app's own schedule runs the job at minute 27 of every hour, so a test that caught that
    // minute found a run it did not expect. It runs the job itself first: the page shows a last
    // run whichever of the two made it.
    await runtime.jobs.enqueue(jobCatalog.find((job) => job.name === 'retention.apply')!, {});
    await expect.poll(async () => (await runtime.orm.em.fork().findOne(RetentionSettings, 1))?.lastRunAt ?? null).not.toBeNull();

    await openPage(page, `${server.url}/users`);
    await page.getByRole('link', { name: 'Retention' }).click();
    await page.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
    const runs = page.getByTestId('retention-runs');
    const [nextRun, lastRun] = [runs.locator('time').first(), runs.locator('time').nth(1)];
    expect(await nextRun.getAttribute('datetime')).toMatch(/:27:00/);
    expect(Date.parse((await lastRun.getAttribute('datetime'))!)).toBeLessThanOrEqual(Date.now());
    expect(await runs.locator('dd').allTextContents()).toEqual([await nextRun.textContent(), await lastRun.textContent(), '0', '0', '0']);

    await page.getByLabel('Delete conversations untouched for (days)').fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByTestId('error-summary').filter({ hasText: 'Enter a whole number of days from 1 to 36500, or leave it empty.' }).waitFor();

    await page.getByLabel('Delete conversations untouched for (days)').fill('365');
    await page.getByLabel('Archives can be downloaded for (hours)').fill('48');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Retention saved. It applies from the next run.').waitFor();
    const saved = await runtime.orm.em.fork().findOneOrFail(RetentionSettings, 1);
    expect([saved.conversationDays, saved.exportHours, saved.auditDays]).toEqual([365, 48, null]);
    expect(await page.getByLabel('Delete conversations untouched for (days)').inputValue()).toBe('365');
  });
});
