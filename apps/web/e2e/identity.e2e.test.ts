import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer as createAdminServer } from '../../admin/server';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { ADMIN_BUILD_FOR_WEB_TESTS } from '../../../tooling/vitest/build-admin-app';

const ADMIN = { username: 'identity-admin', password: 'admin password for e2e' };
const NEWCOMER = { username: 'zeynep.kaya', displayName: 'Zeynep Kaya', password: 'a long enough password' };
const SESSIONS = '/account/sessions';

/**
 * The identity path end to end, in both apps on one database: an administrator invites, a
 * newcomer registers, signs out and in again, manages their devices, and is banned while a page
 * is open.
 */
describe('identity and access in a browser', () => {
  let runtime: ApiRuntime;
  let web: AppServer;
  let admin: AppServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let userContext: BrowserContext;
  let adminPage: Page;
  let page: Page;
  let adminErrors: string[];
  let userErrors: string[];
  let inviteCode = '';

  const newContext = () => browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
  const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((cookie) => cookie.name === 'atrium_session');

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    await makeLocalUser(runtime.orm.em.fork(), { role: 'admin', ...ADMIN });
    web = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    // The admin app's production bundle, built for these tests in a folder of its own (its usual
    // build/ belongs to its own browser tests, which may be rebuilding it at this moment).
    admin = await createAdminServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1', buildDirectory: ADMIN_BUILD_FOR_WEB_TESTS });
    browser = await launchBrowser();
    adminContext = await newContext();
    adminPage = await adminContext.newPage();
    userContext = await newContext();
    page = await userContext.newPage();
    adminErrors = collectPageErrors(adminPage);
    userErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([web?.close(), admin?.close()]);
    await runtime?.close();
  });
  afterEach(() => {
    expect([...adminErrors, ...userErrors]).toEqual([]);
  });

  it('lets an administrator create an invite in the admin app', async () => {
    await openPage(adminPage, `${admin.url}/invites`);
    await adminPage.getByLabel('Username').fill(ADMIN.username);
    await adminPage.getByLabel('Password').fill(ADMIN.password);
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Invites' }).waitFor();
    await adminPage.getByLabel('Note').fill('Zeynep, visiting researcher');
    await adminPage.getByRole('button', { name: 'Create invite' }).click();
    inviteCode = (await adminPage.getByTestId('invite-code').textContent()) ?? '';
    expect(inviteCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it('registers a newcomer with the invite, showing field errors accessibly first', async () => {
    await openPage(page, web.url);
    expect(await page.getByRole('link', { name: 'Have an invite? Register' }).getAttribute('href')).toBe('/register');
    // The landing's own "Sign in" and the header's.
    expect(await page.getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(2);

    await openPage(page, `${web.url}/register?redirectTo=${encodeURIComponent(SESSIONS)}`);
    await page.getByLabel('Invite code').fill(inviteCode.toLowerCase());
    await page.getByLabel('Username').fill('z');
    await page.getByLabel('Your name').fill(NEWCOMER.displayName);
    await page.getByLabel('Password', { exact: true }).fill(NEWCOMER.password);
    await page.getByLabel('Confirm password').fill(NEWCOMER.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    // The API's own rule, in the page's words, linked to its field and summarised at the top.
    const username = page.getByLabel('Username');
    await expect.poll(() => username.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await username.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain('username-error');
    expect(await page.locator('#username-error').textContent()).toBe('Use at least 3 characters.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(await page.getByTestId('error-summary').getByRole('link').textContent()).toBe('Use at least 3 characters.');

    await username.fill(NEWCOMER.username);
    await page.getByLabel('Password', { exact: true }).fill(NEWCOMER.password);
    await page.getByLabel('Confirm password').fill(NEWCOMER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${web.url}${SESSIONS}`);
    expect(await page.getByTestId('user-name').textContent()).toBe(NEWCOMER.displayName);

    // Without "Remember me" the cookie lasts as long as the browser.
    const cookie = await sessionCookie(userContext);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', expires: -1 });
  });

  it('signs out from the header menu and back in with "Remember me"', async () => {
    await page.getByLabel(`Account menu for ${NEWCOMER.displayName}`).click();
    await page.getByTestId('user-menu').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    expect(await sessionCookie(userContext)).toBeUndefined();

    // A signed-in page sends the visitor to sign-in, and back after it.
    await openPage(page, `${web.url}${SESSIONS}`);
    expect(page.url()).toBe(`${web.url}/login?redirectTo=${encodeURIComponent(SESSIONS)}`);
    await page.getByLabel('Username').fill(NEWCOMER.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('error-summary').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await page.getByLabel('Password').fill(NEWCOMER.password);
    await page.getByLabel('Remember me').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web.url}${SESSIONS}`);

    const cookie = await sessionCookie(userContext);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // A remembered session survives the browser: the cookie has an expiry weeks away.
    expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + 20 * 86_400_000);
  });

  it('lists the devices, marks this one, and signs another out', async () => {
    const sessions = page.getByTestId('session');
    await sessions.first().waitFor();
    expect(await sessions.count()).toBe(1);
    expect(await sessions.first().getAttribute('data-current')).toBe('true');
    expect(await sessions.first().textContent()).toContain('This device');
    expect(await sessions.first().textContent()).toContain('Remembered');
    expect(await sessions.first().textContent()).toContain('Chrome on Linux');

    // A second device signs in; its time is controlled, so its 30-second check can be hurried.
    const otherContext = await newContext();
    try {
      await otherContext.clock.install();
      const other = await otherContext.newPage();
      const otherErrors = collectPageErrors(other);
      await openPage(other, `${web.url}/login?redirectTo=${encodeURIComponent(SESSIONS)}`);
      await other.getByLabel('Username').fill(NEWCOMER.username);
      await other.getByLabel('Password').fill(NEWCOMER.password);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForURL(`${web.url}${SESSIONS}`);
      await expect.poll(() => other.getByTestId('session').count()).toBe(2);

      await reloadPage(page);
      await expect.poll(() => sessions.count()).toBe(2);
      const otherDevice = sessions.filter({ hasNot: page.getByText('This device') });
      expect(await otherDevice.textContent()).toContain('Until the browser closes');
      await otherDevice.getByRole('button', { name: /^Sign out / }).click();
      await page.getByRole('status').filter({ hasText: 'That device was signed out.' }).waitFor();
      await expect.poll(() => sessions.count()).toBe(1);

      // The other device's open page notices at its next check and goes to sign-in.
      await other.clock.fastForward('00:31');
      await other.waitForURL(/\/login\?reason=signed-out/);
      await other.getByText('You have been signed out').waitFor();
      expect(otherErrors).toEqual([]);
    } finally {
      await otherContext.close();
    }
  });

  it('signs in with a plain form post when JavaScript is off', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    try {
      const plain = await noScript.newPage();
      await plain.goto(`${web.url}${SESSIONS}`); // no script runs, so nothing hydrates
      await plain.getByLabel('Username').fill(NEWCOMER.username);
      await plain.getByLabel('Password').fill('wrong password');
      await plain.getByRole('button', { name: 'Sign in' }).click();
      await plain.getByTestId('error-summary').filter({ hasText: 'Wrong username or password.' }).waitFor();
      // The form keeps the username and the way back.
      expect(await plain.getByLabel('Username').inputValue()).toBe(NEWCOMER.username);

      await plain.getByLabel('Password').fill(NEWCOMER.password);
      await plain.getByRole('button', { name: 'Sign in' }).click();
      await plain.waitForURL(`${web.url}${SESSIONS}`);
      expect(await plain.getByTestId('session').count()).toBe(2);
    } finally {
      await noScript.close();
    }
  });

  it('takes access away from an open page when an administrator bans the user', async () => {
    await openPage(adminPage, `${admin.url}/users`);
    await adminPage.getByRole('searchbox', { name: 'Search' }).fill('zeynep');
    await adminPage.getByRole('button', { name: 'Filter' }).click();
    await adminPage.getByRole('link', { name: NEWCOMER.username }).click();
    await adminPage.getByRole('heading', { level: 1, name: NEWCOMER.displayName }).waitFor();
    await adminPage.getByLabel('Reason').fill('Sharing the account with others');
    await adminPage.getByRole('button', { name: 'Ban user…' }).click();
    await adminPage.getByRole('button', { name: 'Ban', exact: true }).click();
    await adminPage.getByRole('status').filter({ hasText: `${NEWCOMER.username} is banned` }).waitFor();

    // The user's page is still open on their sessions. When they come back to the tab, it checks.
    expect(new URL(page.url()).pathname).toBe(SESSIONS);
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await page.waitForURL(/\/login\?reason=signed-out/);
    await page.getByText('You have been signed out').waitFor();

    await page.getByLabel('Username').fill(NEWCOMER.username);
    await page.getByLabel('Password').fill(NEWCOMER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('error-summary').filter({ hasText: 'This account is suspended.' }).waitFor();
    await page.getByTestId('error-summary').filter({ hasText: 'Reason: Sharing the account with others' }).waitFor();
  });
});
