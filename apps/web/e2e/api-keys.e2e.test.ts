import { makeLocalUser } from '@atrium/auth/testing';
import { openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

describe('personal API keys in a browser', () => {
  let app: WebApp;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    app = await startWebApp({ stub: { demoChunkDelayMs: 5 } });
    server = app.server;
    const { user } = await makeLocalUser(app.runtime.orm.em.fork(), { role: 'staff' });
    ({ page, pageErrors } = await app.signedInPage(user));
  });
  afterAll(() => app?.close());

  const models = (key: string) => fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });

  it('creates a key shown once, which works against /v1 until it is revoked; the guide shows how to use it', async () => {
    await openPage(page, `${server.url}/account/api-keys`);
    await page.getByRole('heading', { name: 'Personal API keys' }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Course notebook');
    await page.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('textbox', { name: 'The new API key' });
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^atr_[a-z2-7]{40}$/);
    const listed = page.getByTestId('api-key');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.first().textContent()).toContain(`Course notebook ${key.slice(0, 12)}…Active`);

    const response = await models(key);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id)).toContain('demo');

    // Shown once: a fresh visit lists the key by its prefix only, now with its last use.
    await openPage(page, `${server.url}/account/api-keys`);
    await page.getByRole('heading', { name: 'Your keys' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'The new API key' }).count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    expect(await listed.first().textContent()).toContain('Last used');

    await page.getByRole('link', { name: 'How to use a key' }).click();
    await page.getByRole('heading', { name: 'Using an API key' }).waitFor();
    expect(await page.getByTestId('api-base-url').textContent()).toBe(`${server.url}/v1`);
    expect(await page.getByText('from openai import OpenAI').count()).toBe(1);
    expect(await page.getByText("import OpenAI from 'openai';").count()).toBe(1);

    await page.getByRole('link', { name: 'Back to your keys' }).click();
    await page.getByRole('button', { name: 'Revoke the key “Course notebook”' }).click();
    await page.getByText('The key was revoked.').waitFor();
    await expect.poll(() => listed.first().textContent()).toContain('Revoked');
    expect((await models(key)).status).toBe(401);
    expect(pageErrors.splice(0)).toEqual([]);
  });
});
