import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Model } from '@atrium/db';
import { collectPageErrors, launchBrowser } from '@atrium/testing/browser';
import { pdfWithText } from '@atrium/testing/files';
import { solidPng, startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

describe('attaching files in a browser', () => {
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    stub = await startStubUpstream({ demo: true, demoChunkDelayMs: 10 });
    runtime = await createApiRuntime({
      target: await migratedPgliteTarget(),
      migrate: true,
      seed: true,
      log: () => {},
      config: { providers: { demo: { baseURL: stub.url } } },
    });
    const em = runtime.orm.em.fork();
    // The Demo engine behind a catalogue entry that can see pictures.
    em.create(Model, { id: 'demo-vision', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Demo Vision', supportsVision: true, sortOrder: 1 });
    await em.flush();
    server = await createAppServer({ runtime, mode: 'development', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const { user } = await makeLocalUser(em);
    const { token } = await createSession(em, user, { type: 'active_session' });
    context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await runtime?.close();
    await stub?.close();
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const answerRequest = (question: string) => stub.requests.find((request) => request.messages.at(-1)?.content.endsWith(question));

  it('attaches a PDF, asks about it, watches the answer stream, and finds the chip after a reload', async () => {
    await page.goto(`${server.url}/chat`);
    await page.getByTestId('attach-input').setInputFiles({
      name: 'syllabus.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfWithText(['Course syllabus', 'The final exam is on 14 June in hall B.']),
    });
    const chip = page.getByTestId('draft-chip');
    await expect.poll(() => chip.textContent()).toContain('Ready');
    expect(await chip.textContent()).toContain('syllabus.pdf');

    await composer().fill('When is the final exam?');
    await composer().press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('streaming-answer').count()).toBe(0);
    expect(await page.locator('[data-role="assistant"]').last().textContent()).toContain('When is the final exam?');
    expect(answerRequest('When is the final exam?')!.messages.at(-1)!.content).toContain('The final exam is on 14 June in hall B.');

    await page.reload();
    const saved = page.locator('[data-role="user"]').getByTestId('attachment-chip');
    await saved.waitFor();
    expect(await saved.textContent()).toContain('syllabus.pdf');
    expect(await saved.getByRole('link').getAttribute('href')).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
  });

  it('says plainly when a file cannot be attached', async () => {
    await page.goto(`${server.url}/chat`);
    await page.getByTestId('attach-input').setInputFiles({ name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]) });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'tool.exe' }).count()).toBe(1);
    expect(await page.getByRole('alert').filter({ hasText: 'tool.exe' }).textContent()).toContain('cannot be attached');
    // The browser itself logs the refused upload's status; that one line is this test's expected outcome.
    expect(pageErrors).toEqual(['console.error: Failed to load resource: the server responded with a status of 415 (Unsupported Media Type)']);
    pageErrors.splice(0);
    await page.getByRole('button', { name: 'Remove tool.exe' }).click();
    expect(await page.getByTestId('draft-chip').count()).toBe(0);
  });

  it('sends a picture to a model that can see it, and shows it in the conversation', async () => {
    await page.goto(`${server.url}/chat`);
    await page.getByLabel('Model').selectOption('demo-vision');
    await page.getByTestId('attach-input').setInputFiles({ name: 'board.png', mimeType: 'image/png', buffer: solidPng(80, 60, [20, 160, 90]) });
    await expect.poll(() => page.getByTestId('draft-chip').textContent()).toContain('Ready');
    await composer().fill('What colour is the board?');
    await composer().press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('streaming-answer').count()).toBe(0);
    const question = answerRequest('What colour is the board?')!.messages.at(-1)!;
    expect(question.images?.[0]).toMatch(/^data:image\/png;base64,/);

    await page.reload();
    const image = page.locator('[data-role="user"]').getByRole('img', { name: 'Picture: board.png' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  });
});
