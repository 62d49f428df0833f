import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Conversation, Message, User } from '@atrium/db';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import { unzipTo } from '@atrium/testing/zip';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

/**
 * A student downloads their data from "Your data" and opens the archive's index, then deletes
 * their own account: refused with the wrong password or a mistyped username, then erased,
 * signed out, and unable to sign in with it again.
 */
describe('my data in a browser: download it, then delete my account', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await runtime?.close();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('downloads an archive whose index lists my chats, then deletes the account, which can no longer sign in', async () => {
    const em = runtime.orm.em.fork();
    const { user, password } = await makeLocalUser(em, { username: 'deniz-leaves' });
    const conversation = em.create(Conversation, { user, title: 'Thermodynamics notes' });
    em.create(Message, { conversation, role: 'user', content: 'What is entropy?' });
    await em.flush();
    const { token } = await createSession(em, user, { type: 'active_session' });
    context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    pageErrors = collectPageErrors(page);

    await openPage(page, `${server.url}/account/sessions`);
    await page.getByRole('link', { name: 'Your data' }).click();
    await page.getByRole('heading', { level: 2, name: 'Download my data' }).waitFor();

    // The archive is built by the background job while the page shows where it is.
    await page.getByRole('button', { name: 'Prepare my archive' }).click();
    const status = page.getByTestId('export-status');
    await status.getByText(/Your archive is ready \(\d+\.\d+ MB\)\. You can download it until/).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), status.getByRole('link', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^deniz-leaves-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const unpacked = await mkdtemp(join(tmpdir(), 'atrium-my-data-'));
    try {
      const names = await unzipTo(await readFile((await download.path())!), unpacked);
      expect(names).toEqual(expect.arrayContaining(['index.html', 'account.json', 'usage.json']));
      // The archive's front page, opened as the student would after unzipping it.
      const index = await context.newPage();
      await index.goto(pathToFileURL(join(unpacked, 'index.html')).href);
      await index.getByRole('heading', { level: 1, name: 'Your data' }).waitFor();
      const markdown = index.getByRole('link', { name: 'Thermodynamics notes (Markdown)' });
      const chat = await readFile(join(unpacked, (await markdown.getAttribute('href'))!), 'utf8');
      expect(chat).toContain('What is entropy?');
      await index.close();
    } finally {
      await rm(unpacked, { recursive: true, force: true });
    }

    await page.getByRole('heading', { level: 2, name: 'Delete my account' }).waitFor();

    // A wrong password: refused, the error linked to its field, nothing deleted.
    await page.getByLabel('Your password').fill('not my password');
    await page.getByLabel('Type your username (deniz-leaves) to confirm').fill('deniz-leaves');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByTestId('error-summary').filter({ hasText: 'That password is not correct.' }).waitFor();
    await expect.poll(() => page.getByLabel('Your password').getAttribute('aria-invalid')).toBe('true');
    // A mistyped username: refused too.
    await page.getByLabel('Your password').fill(password);
    await page.getByLabel('Type your username (deniz-leaves) to confirm').fill('deniz');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByTestId('error-summary').filter({ hasText: 'Type your username exactly as shown.' }).waitFor();
    expect(await runtime.orm.em.fork().count(User, { id: user.id })).toBe(1);

    await page.getByLabel('Your password').fill(password);
    await page.getByLabel('Type your username (deniz-leaves) to confirm').fill('deniz-leaves');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account has been deleted' }).waitFor();
    expect(await runtime.orm.em.fork().count(User, { id: user.id })).toBe(0);
    expect(await runtime.orm.em.fork().count(Conversation, { id: conversation.id })).toBe(0);
    expect((await context.cookies(server.url)).find((cookie) => cookie.name === 'atrium_session')).toBeUndefined();

    // Signed out for good: the account pages send it to sign-in, and signing in fails.
    await openPage(page, `${server.url}/account/data`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Username').fill('deniz-leaves');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('error-summary').filter({ hasText: 'Wrong username or password.' }).waitFor();
  });
});
