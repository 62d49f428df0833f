import { createCaller, createContextInner } from '@atrium/api';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Model, User, type IUser } from '@atrium/db';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';

describe('remembered choices in a browser', () => {
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let student: IUser;
  let styleId: string;

  /** A fresh browser (its own cookies) signed in as the student, speaking English and preferring light pages. */
  async function newDevice() {
    const { token } = await createSession(runtime.orm.em.fork(), student, { type: 'active_session' });
    const context = await browser.newContext({ locale: 'en-GB', colorScheme: 'light', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: collectPageErrors(page) };
  }

  beforeAll(async () => {
    stub = await startStubUpstream({ demo: true, demoChunkDelayMs: 1 });
    runtime = await createApiRuntime({
      target: await migratedPgliteTarget(),
      migrate: true,
      seed: true,
      log: () => {},
      config: { providers: { demo: { baseURL: stub.url } } },
    });
    server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const em = runtime.orm.em.fork();
    em.create(Model, { id: 'demo-second', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Second demo', sortOrder: 1 });
    student = (await makeLocalUser(em)).user;
    await em.flush();
    const caller = createCaller(createContextInner({ em, user: student, config: runtime.config }));
    styleId = (await caller.presets.create({ name: 'Brief', systemPromptTemplate: 'Answer briefly.' })).id;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await runtime?.close();
    await stub?.close();
  });

  const saved = () => runtime.orm.em.fork().findOneOrFail(User, student.id, { refresh: true });

  it('opens a second device with the theme, language, model and style picked on the first', async () => {
    const first = await newDevice();
    await openPage(first.page, `${server.url}/chat`);
    const html = first.page.locator('html');
    expect(await html.getAttribute('data-theme')).toBe('system');

    await first.page.getByLabel('Model').selectOption('demo-second');
    await first.page.getByLabel('Style').selectOption(styleId);
    await expect.poll(async () => [(await saved()).selectedModel, (await saved()).activePreset?.id]).toEqual(['demo-second', styleId]);

    // System → light → dark.
    await first.page.getByRole('button', { name: 'Theme: system. Switch to light' }).click();
    await expect.poll(() => html.getAttribute('data-theme')).toBe('light');
    await first.page.getByRole('button', { name: 'Theme: light. Switch to dark' }).click();
    await expect.poll(() => html.getAttribute('data-theme')).toBe('dark');
    await first.page.getByRole('button', { name: 'Türkçe' }).click();
    await expect.poll(() => html.getAttribute('lang')).toBe('tr');
    await expect.poll(async () => [(await saved()).theme, (await saved()).language]).toEqual(['dark', 'tr']);

    // Another browser, English and light by its own settings, opens as the student left the first.
    const second = await newDevice();
    await openPage(second.page, `${server.url}/chat`);
    const page = second.page;
    expect(await page.locator('html').getAttribute('lang')).toBe('tr');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.getByRole('heading', { name: 'Yeni sohbet' }).isVisible()).toBe(true);
    // Dark for real: the page (the <html> element carries the background) is drawn dark, not as light pages are.
    const backgrounds = await page.evaluate(() => {
      const root = document.documentElement;
      const shown = getComputedStyle(root).backgroundColor;
      root.dataset.theme = 'light';
      const light = getComputedStyle(root).backgroundColor;
      root.dataset.theme = 'dark';
      return { shown, light };
    });
    expect(backgrounds.shown).not.toBe(backgrounds.light);
    expect(await page.getByLabel('Model').inputValue()).toBe('demo-second');
    expect(await page.getByLabel('Üslup').inputValue()).toBe(styleId);

    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });
});
