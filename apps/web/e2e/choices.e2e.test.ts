import { createCaller, createContextInner } from '@atrium/api';
import type { ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { Model, User, type IUser } from '@atrium/db';
import { openPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

describe('remembered choices in a browser', () => {
  let app: WebApp;
  let runtime: ApiRuntime;
  let server: AppServer;
  let student: IUser;
  let styleId: string;

  /** A fresh browser (its own cookies) signed in as the student, speaking English and preferring light pages. */
  async function newDevice() {
    const { page, pageErrors } = await app.signedInPage(student, { colorScheme: 'light' });
    return { page, errors: pageErrors };
  }

  beforeAll(async () => {
    app = await startWebApp({ stub: { demoChunkDelayMs: 1 } });
    ({ runtime, server } = app);
    const em = runtime.orm.em.fork();
    em.create(Model, { id: 'demo-second', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Second demo', sortOrder: 1 });
    student = (await makeLocalUser(em)).user;
    await em.flush();
    const caller = createCaller(createContextInner({ em, user: student, config: runtime.config }));
    styleId = (await caller.presets.create({ name: 'Brief', systemPromptTemplate: 'Answer briefly.' })).id;
  });
  afterAll(() => app?.close());

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
