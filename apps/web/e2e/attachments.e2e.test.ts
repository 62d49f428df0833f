import type { ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { Attachment, Model, StorageUsage } from '@atrium/db';
import { openPage, reloadPage } from '@atrium/testing/browser';
import { pdfWithText } from '@atrium/testing/files';
import { solidPng, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

describe('attaching files in a browser', () => {
  let app: WebApp;
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];
  let userId: string;

  beforeAll(async () => {
    app = await startWebApp({
      stub: { demoChunkDelayMs: 10 },
      async beforeServer({ orm }) {
        const em = orm.em.fork();
        // The Demo engine behind a catalogue entry that can see pictures.
        em.create(Model, { id: 'demo-vision', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Demo Vision', supportsVision: true, sortOrder: 1 });
        // And one that draws: the stub's images endpoint answers with a real PNG.
        em.create(Model, { id: 'demo-draw', provider: 'demo', providerModelId: 'atrium-draw', displayName: 'Demo Draw', supportsImageGeneration: true, pricePerImage: 0.02, sortOrder: 2 });
        await em.flush();
      },
    });
    ({ stub, runtime, server } = app);
    const { user } = await makeLocalUser(runtime.orm.em.fork());
    userId = user.id;
    ({ page, pageErrors } = await app.signedInPage(user));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const answerRequest = (question: string) => stub.requests.find((request) => request.messages.at(-1)?.content.endsWith(question));

  it('attaches a PDF, asks about it, watches the answer stream, and finds the chip after a reload', async () => {
    await openPage(page, `${server.url}/chat`);
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

    await reloadPage(page);
    const saved = page.locator('[data-role="user"]').getByTestId('attachment-chip');
    await saved.waitFor();
    expect(await saved.textContent()).toContain('syllabus.pdf');
    expect(await saved.getByRole('link').getAttribute('href')).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
  });

  it('says plainly when a file cannot be attached', async () => {
    await openPage(page, `${server.url}/chat`);
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
    await openPage(page, `${server.url}/chat`);
    await page.getByLabel('Model').selectOption('demo-vision');
    await page.getByTestId('attach-input').setInputFiles({ name: 'board.png', mimeType: 'image/png', buffer: solidPng(80, 60, [20, 160, 90]) });
    await expect.poll(() => page.getByTestId('draft-chip').textContent()).toContain('Ready');
    await composer().fill('What colour is the board?');
    await composer().press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('streaming-answer').count()).toBe(0);
    const question = answerRequest('What colour is the board?')!.messages.at(-1)!;
    expect(question.images?.[0]).toMatch(/^data:image\/png;base64,/);

    await reloadPage(page);
    const image = page.locator('[data-role="user"]').getByRole('img', { name: 'Picture: board.png' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  });

  /** Files in the browser, as a drop or a paste carries them. */
  const dataTransferOf = (files: { name: string; type: string; bytes: number[] }[]) =>
    page.evaluateHandle((list) => {
      const transfer = new DataTransfer();
      for (const file of list) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      return transfer;
    }, files);
  const draftsInDatabase = () => runtime.orm.em.fork().count(Attachment, { user: userId, message: null });

  it('takes a picture dropped on the chat: a chip with name, size and upload progress, and Remove deletes the upload', async () => {
    await openPage(page, `${server.url}/chat`);
    await composer().waitFor();
    const before = await draftsInDatabase();
    // Hold the upload on its way, so the chip is seen while it uploads.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/files', async (route) => {
      await held;
      await route.continue();
    });
    const chip = page.getByTestId('draft-chip');
    try {
      const png = solidPng(120, 90, [200, 40, 40]);
      const transfer = await dataTransferOf([{ name: 'whiteboard.png', type: 'image/png', bytes: [...png] }]);
      await composer().dispatchEvent('dragover', { dataTransfer: transfer });
      await expect.poll(() => page.getByText('Drop files to attach them').count()).toBe(1);
      await composer().dispatchEvent('drop', { dataTransfer: transfer });

      await expect.poll(() => chip.textContent()).toContain('whiteboard.png');
      expect(await chip.textContent()).toMatch(/\d+ (B|KB)/);
      const progress = chip.getByRole('progressbar', { name: 'whiteboard.png' });
      expect(await progress.count()).toBe(1);
      expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
      release();
      await expect.poll(() => chip.textContent()).toContain('Ready');
      expect(await progress.count()).toBe(0);
    } finally {
      // A failed step must not leave later uploads on this page held.
      release();
      await page.unroute('**/api/files');
    }
    expect(await draftsInDatabase()).toBe(before + 1);

    await page.getByRole('button', { name: 'Remove whiteboard.png' }).click();
    expect(await chip.count()).toBe(0);
    await expect.poll(draftsInDatabase).toBe(before);
  });

  it('takes a picture pasted into the message box as an attachment, not as text', async () => {
    await openPage(page, `${server.url}/chat`);
    await composer().waitFor();
    const png = solidPng(60, 40, [40, 40, 200]);
    const transfer = await dataTransferOf([{ name: 'screenshot.png', type: 'image/png', bytes: [...png] }]);
    await composer().evaluate((box, clipboardData) => {
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, transfer);
    const chip = page.getByTestId('draft-chip');
    await expect.poll(() => chip.textContent()).toContain('Ready');
    expect(await chip.textContent()).toContain('screenshot.png');
    expect(await composer().inputValue()).toBe('');

    await page.getByRole('button', { name: 'Remove screenshot.png' }).click();
    expect(await chip.count()).toBe(0);
  });

  it('draws a picture with an image generation model, shows it in the answer, and again after a reload', async () => {
    await openPage(page, `${server.url}/chat`);
    await page.getByLabel('Model').selectOption('demo-draw');
    await composer().fill('A lighthouse at dusk');
    await composer().press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const picture = () => page.locator('[data-role="assistant"]').getByRole('img', { name: 'Generated picture' });
    await picture().waitFor();
    await expect.poll(() => picture().evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(64);
    expect(stub.imageRequests.map((request) => request.prompt)).toContain('A lighthouse at dusk');

    await reloadPage(page);
    await picture().waitFor();
    await expect.poll(() => picture().evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(64);
    expect(await picture().getAttribute('src')).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
  });

  it('shows how much of the file quota is used, and refuses a file that does not fit', async () => {
    const em = runtime.orm.em.fork();
    const used = Number((await em.findOne(StorageUsage, { user: userId }))?.usedBytes ?? 0);
    // Room for 64 KB more: a 1 KB note fits, a 100 KB one does not.
    await em.execute(
      'insert into storage_usage (user_id, used_bytes, quota_bytes) values (?, ?, ?) on conflict (user_id) do update set quota_bytes = excluded.quota_bytes',
      [userId, used, used + 64 * 1024],
    );
    await openPage(page, `${server.url}/chat`);
    const storage = page.getByTestId('storage');
    await expect.poll(() => storage.textContent()).toMatch(/^Files: .+ of .+ used$/);
    const before = await storage.textContent();

    await page.getByTestId('attach-input').setInputFiles({ name: 'big-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('lecture notes '.repeat(8000)) });
    const refused = page.getByRole('alert').filter({ hasText: 'big-notes.txt' });
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.textContent()).toContain('does not fit in your file storage');
    expect(pageErrors).toEqual(['console.error: Failed to load resource: the server responded with a status of 413 (Payload Too Large)']);
    pageErrors.splice(0);
    await page.getByRole('button', { name: 'Remove big-notes.txt' }).click();
    expect(await storage.textContent()).toBe(before);

    await page.getByTestId('attach-input').setInputFiles({ name: 'small-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('a short note '.repeat(80)) });
    await expect.poll(() => page.getByTestId('draft-chip').textContent()).toContain('Ready');
    // The line under the composer follows the upload.
    await expect.poll(() => storage.textContent()).not.toBe(before);
    await page.getByRole('button', { name: 'Remove small-notes.txt' }).click();
    await expect.poll(() => storage.textContent()).toBe(before);
  });
});
