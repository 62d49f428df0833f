import type { ApiRuntime } from '@atrium/api/server';
import { TransparencySettings, SINGLETON_ID } from '@atrium/db';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminApp, type AdminApp } from './admin-app';

describe('what each answer shows, set in the admin app', () => {
  let app: AdminApp;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    app = await startAdminApp();
    ({ runtime, server } = app);
    ({ page, pageErrors } = await app.adminPage('answers-admin'));
  });
  afterAll(() => app?.close());

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
    expect(pageErrors.splice(0)).toEqual([]);
  });
});
