import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { StorageQuota, StorageUsage, User } from '@atrium/db';
import { makeLocalUser } from '@atrium/auth/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

const ADMIN = { username: 'e2e-admin', password: 'admin password for e2e' };
const STUDENT = { username: 'ayse.demir', password: 'student password for e2e' };
const DIRECTORY_USER = 'deniz.kaya';

describe('signing in to the admin app and managing users and invites', () => {
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {} });
    const em = runtime.orm.em.fork();
    await makeLocalUser(em, { role: 'admin', ...ADMIN });
    const { user } = await makeLocalUser(em, { role: 'student', ...STUDENT });
    user.displayName = 'Ayşe Demir';
    // A directory account, as LDAP sign-in creates it: its groups decide its role.
    em.create(User, {
      username: DIRECTORY_USER,
      displayName: 'Deniz Kaya',
      authSource: 'ldap',
      ldapDn: `uid=${DIRECTORY_USER},ou=people,dc=atrium,dc=test`,
      role: 'staff',
      roleSource: 'directory',
    });
    await em.flush();
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
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

  const signInAs = async (who: { username: string; password: string }) => {
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('sends a visitor to sign-in and refuses a student there with a clear message', async () => {
    await openPage(page, `${server.url}/users`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/users');
    expect(await page.title()).toBe('Sign in · Atrium admin');
    // No admin sections for someone who is not signed in.
    expect(await page.getByRole('navigation', { name: 'Admin sections' }).count()).toBe(0);

    await signInAs(STUDENT);
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Only administrators can sign in here.');
    // Focus moves to the error, so a keyboard or screen-reader user hears it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await context.cookies()).find((cookie) => cookie.name === 'atrium_session')).toBeUndefined();
  });

  it('signs the administrator in and goes back to the page asked for', async () => {
    await signInAs(ADMIN);
    await page.waitForURL(`${server.url}/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Admin sections' });
    expect(await nav.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('user-name').textContent()).toBe('Test Person');
  });

  it('finds a user and changes their role', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('ayşe');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/q=ay%C5%9Fe/);
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(2); // the header and Ayşe
    expect(await rows.nth(1).textContent()).toContain('Ayşe Demir');
    expect(await rows.nth(1).textContent()).toContain('Student');

    await page.getByRole('link', { name: STUDENT.username }).click();
    await page.getByRole('heading', { level: 1, name: 'Ayşe Demir' }).waitFor();
    await page.getByRole('combobox', { name: 'Role' }).selectOption('staff');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expect.poll(() => page.getByTestId('user-badges').textContent()).toContain('Staff');

    // The change is real: the list says so too.
    await openPage(page, `${server.url}/users?role=staff`);
    expect(await page.getByRole('table').textContent()).toContain(STUDENT.username);
  });

  it("saves a user's own limits, stored as an object the page reads back", async () => {
    const dailyDemo = page.getByLabel('Requests per day for Demo', { exact: false }).first();
    await openPage(page, `${server.url}/users`);
    await page.getByRole('link', { name: STUDENT.username }).click();
    await dailyDemo.fill('7');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await reloadPage(page);
    expect(await dailyDemo.inputValue()).toBe('7');
    const stored = await runtime.orm.em.fork().findOneOrFail(User, { username: STUDENT.username });
    expect(Object.values(stored.limits)).toEqual([{ dailyRequestLimit: 7 }]);
  });

  it('sets file storage quotas per role on the limits page and per user on their page', async () => {
    const MiB = 1024 * 1024;
    const storedQuotas = async () =>
      (await runtime.orm.em.fork().find(StorageQuota, {}, { orderBy: { role: 'asc' } })).map(({ role, quotaBytes }) => [role, quotaBytes]);
    await openPage(page, `${server.url}/limits`);
    const staffQuota = page.getByLabel('Storage quota for Staff (MB)');
    // A fresh install's quotas: 100 MB for students, 1 GB for staff, none for admins.
    expect(await page.getByLabel('Storage quota for Students (MB)').inputValue()).toBe('100');
    expect(await staffQuota.inputValue()).toBe('1024');
    const seeded = await storedQuotas();
    await page.getByLabel('Storage quota for Students (MB)').fill('lots');
    await staffQuota.fill('50');
    await page.getByRole('button', { name: 'Save storage quotas' }).click();
    await expect.poll(() => page.getByTestId('error-summary').textContent()).toContain('Enter a number of megabytes');
    expect(await storedQuotas()).toEqual(seeded);

    await page.getByLabel('Storage quota for Students (MB)').fill('20');
    await page.getByRole('button', { name: 'Save storage quotas' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the storage quotas.' }).waitFor();
    await reloadPage(page);
    expect(await staffQuota.inputValue()).toBe('50');
    expect(await page.getByLabel('Storage quota for Admins (MB)').inputValue()).toBe('');
    expect(await storedQuotas()).toEqual([
      ['admin', null],
      ['staff', 50 * MiB],
      ['student', 20 * MiB],
    ]);

    // The student is staff by now (an earlier test): the staff quota applies until their own.
    await openPage(page, `${server.url}/users?q=${STUDENT.username}`);
    await page.getByRole('link', { name: STUDENT.username }).click();
    await expect.poll(() => page.getByTestId('storage-used').textContent()).toBe('0 B used of 50 MB');
    await page.getByLabel('Storage quota (MB)').fill('5');
    await page.getByRole('button', { name: 'Save quota' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expect.poll(() => page.getByTestId('storage-used').textContent()).toBe('0 B used of 5 MB');
    const student = await runtime.orm.em.fork().findOneOrFail(User, { username: STUDENT.username });
    expect((await runtime.orm.em.fork().findOneOrFail(StorageUsage, { user: student.id })).quotaBytes).toBe(5 * MiB);

    // Emptied, the role's quota applies again.
    await page.getByLabel('Storage quota (MB)').fill('');
    await page.getByRole('button', { name: 'Save quota' }).click();
    await expect.poll(() => page.getByTestId('storage-used').textContent()).toBe('0 B used of 50 MB');
  });

  it("shows who decides a directory account's role, keeps an override, and hands it back", async () => {
    await openPage(page, `${server.url}/users?q=${DIRECTORY_USER}`);
    await page.getByRole('link', { name: DIRECTORY_USER }).click();
    await page.getByRole('heading', { level: 1, name: 'Deniz Kaya' }).waitFor();
    expect(await page.getByTestId('role-source').textContent()).toContain('Set by the directory');
    expect(await page.getByRole('button', { name: 'Let the directory decide' }).count()).toBe(0);

    await page.getByRole('combobox', { name: 'Role' }).selectOption('admin');
    await page.getByRole('button', { name: 'Save role' }).click();
    await expect.poll(() => page.getByTestId('role-source').textContent()).toContain('Set by an administrator');
    const overridden = await runtime.orm.em.fork().findOneOrFail(User, { username: DIRECTORY_USER });
    expect(overridden).toMatchObject({ role: 'admin', roleSource: 'administrator' });

    await page.getByRole('button', { name: 'Let the directory decide' }).click();
    await expect.poll(() => page.getByTestId('role-source').textContent()).toContain('Set by the directory');
    expect((await runtime.orm.em.fork().findOneOrFail(User, { username: DIRECTORY_USER })).roleSource).toBe('directory');
  });

  it('creates an invite and shows its code, ready to copy', async () => {
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Invites' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invites' }).waitFor();
    await page.getByLabel('Role').selectOption('staff');
    await page.getByLabel('Expires').selectOption('7');
    await page.getByLabel('Note').fill('New lecturer, chemistry');
    await page.getByRole('button', { name: 'Create invite' }).click();

    const code = page.getByTestId('invite-code');
    await code.waitFor();
    const text = (await code.textContent()) ?? '';
    expect(text).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await page.getByRole('button', { name: 'Copy code' }).count()).toBe(1);
    // Focus moves to the new code.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(text);

    const row = page.getByTestId('invite-row').filter({ hasText: text });
    expect(await row.textContent()).toContain('Open');
    expect(await row.textContent()).toContain('New lecturer, chemistry');
  });

  it('signs out from the header menu', async () => {
    await page.getByTestId('user-menu').locator('summary').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await openPage(page, `${server.url}/invites`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
