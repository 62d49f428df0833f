import type { ApiRuntime } from '@atrium/api/server';
import { createApiKey } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminApp, type AdminApp } from './admin-app';

describe('API keys in the admin app', () => {
  let app: AdminApp;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    app = await startAdminApp();
    ({ runtime, server } = app);
    ({ page, pageErrors } = await app.adminPage('keys-admin'));
  });
  afterAll(() => app?.close());

  it('shows any user’s key and revokes it, and sets who may create keys', async () => {
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { role: 'staff', username: 'lecturer-keys' });
    const { key } = await createApiKey(em, user, { name: 'Grading script', expiresAt: null }, () => new Date());
    const models = () => fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect((await models()).status).toBe(200);

    await openPage(page, `${server.url}/api-keys`);
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    const row = page.getByTestId('admin-api-key').filter({ hasText: 'lecturer-keys' });
    expect(await row.textContent()).toContain(`Grading script ${key.slice(0, 12)}…`);
    await row.getByRole('button', { name: 'Revoke lecturer-keys’s key “Grading script”' }).click();
    await row.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('The key was revoked.').waitFor();
    expect((await models()).status).toBe(401);
    await expect.poll(() => page.getByTestId('admin-api-key').filter({ hasText: 'lecturer-keys' }).count()).toBe(0);

    await page.getByRole('checkbox', { name: 'Students' }).check();
    await page.getByRole('checkbox', { name: 'Keep API calls as conversations' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await reloadPage(page);
    expect(await page.getByRole('checkbox', { name: 'Students' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Keep API calls as conversations' }).isChecked()).toBe(true);
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('splits usage by channel and by key in the analytics', async () => {
    const em = runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { role: 'staff', username: 'analyst-keys' });
    const { apiKey } = await createApiKey(em, user, { name: 'Notebook', expiresAt: null }, () => new Date());
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: runtime.config.usageTimeZone }).format(new Date());
    // Five requests in the ledger, two of them through the API with this key.
    await em.execute(
      `insert into usage_daily (id, user_id, date, model, provider, requests, prompt_tokens, completion_tokens, cost_micros)
       values (gen_random_uuid(), ?, ?, 'demo', 'demo', 5, 500, 50, 0)`,
      [user.id, day],
    );
    await em.execute(
      `insert into api_usage_daily (id, api_key_id, user_id, date, model, requests, prompt_tokens, completion_tokens, cost_micros)
       values (gen_random_uuid(), ?, ?, ?, 'demo', 2, 200, 20, 0)`,
      [apiKey.id, user.id, day],
    );
    await openPage(page, `${server.url}/analytics`);
    const channels = page.getByRole('table', { name: 'By channel' });
    await channels.waitFor();
    expect(await channels.getByRole('row', { name: /Web chat/ }).textContent()).toContain('3');
    expect(await channels.getByRole('row', { name: /API/ }).textContent()).toContain('2');
    const keys = page.getByRole('table', { name: 'API keys' });
    expect(await keys.getByRole('row', { name: /analyst-keys · Notebook/ }).textContent()).toContain('2');
    expect(pageErrors.splice(0)).toEqual([]);
  });
});

