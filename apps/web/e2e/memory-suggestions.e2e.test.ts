import { createCaller, createContextInner } from '@atrium/api';
import type { ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { UserPreference } from '@atrium/db';
import { openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

/**
 * What the assistant suggested about a student, answered on the memory page. The suggestions are
 * written as the learning job writes them (the job itself is tested in the API package).
 */
describe('memory suggestions in a browser', () => {
  let app: WebApp;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];
  let studentId: string;

  beforeAll(async () => {
    app = await startWebApp();
    ({ runtime, server } = app);
    const em = runtime.orm.em.fork();
    const { user: admin } = await makeLocalUser(em, { role: 'admin' });
    const { user: student } = await makeLocalUser(em);
    studentId = student.id;
    await createCaller(createContextInner({ em: runtime.orm.em.fork(), user: admin, config: runtime.config })).preferences.admin.setLearning({ learnRoles: ['student'] });
    for (const [key, value] of [['Studies', 'Computer engineering'], ['Favourite editor', 'Vim']] as const) {
      em.create(UserPreference, { user: student.id, key, value, category: 'education', source: 'inferred', status: 'suggested', isActive: false });
    }
    await em.flush();

    ({ page, pageErrors } = await app.signedInPage(student));
  });
  afterAll(() => app?.close());

  it('keeps one suggestion as a memory and discards the other', async () => {
    await openPage(page, `${server.url}/account/memory`);
    const suggestions = page.getByRole('region', { name: 'Suggested by the assistant' });
    await suggestions.getByText('Computer engineering').waitFor();
    await page.getByRole('switch', { name: 'Keep suggestions without asking me' }).waitFor();

    await suggestions.getByRole('button', { name: 'Keep “Studies”' }).click();
    await page.getByRole('status').filter({ hasText: '“Studies” is kept' }).waitFor();
    await page.getByRole('region', { name: 'Your memories' }).getByText('Computer engineering').waitFor();

    await suggestions.getByRole('button', { name: 'Discard “Favourite editor”' }).click();
    await page.getByRole('status').filter({ hasText: 'was discarded' }).waitFor();
    await suggestions.waitFor({ state: 'detached' });
    expect(await page.getByText('Vim').count()).toBe(0);

    const rows = await runtime.orm.em.fork().find(UserPreference, { user: studentId }, { orderBy: { key: 'asc' } });
    expect(rows.map(({ key, status, isActive }) => ({ key, status, isActive }))).toEqual([
      { key: 'Favourite editor', status: 'discarded', isActive: false },
      { key: 'Studies', status: 'kept', isActive: true },
    ]);
    expect(pageErrors.splice(0)).toEqual([]);
  });
});
