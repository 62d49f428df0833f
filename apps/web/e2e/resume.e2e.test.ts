import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import { demoAnswer, startStubUpstream, stubHold, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';

const QUESTION = 'What happens if I reload now?';
const DEMO_ENDING = 'Ask another question to see another demo reply.';
const DEMO_OPENING = "This is Atrium's offline demo model.";
/** The demo answer's first twelve words as the page shows them (its markdown rendered). */
const HELD_TEXT = "This is Atrium's offline demo model. No real language model is connected,";

/**
 * The demo answer to `question`, held upstream after its first twelve words until the test calls
 * `release`: the test acts mid-answer whatever the machine's load, and the answer cannot finish
 * before it has.
 */
function scriptHeldDemoAnswer(stub: StubUpstream, question: string): () => void {
  const afterOpening = stubHold(12);
  stub.script({ text: demoAnswer(question), chunkDelayMs: 10, holds: [afterOpening] });
  return afterOpening.release;
}

describe('an answer that outlives a reload', () => {
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    stub = await startStubUpstream({ demo: true });
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

  it('goes on from where it was after a reload mid-answer, produced once', async () => {
    const composer = page.getByRole('textbox', { name: 'Message', exact: true });
    const streamingText = async () => (await page.getByTestId('streaming-answer').textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
    const release = scriptHeldDemoAnswer(stub, QUESTION);
    try {
      await openPage(page, `${server.url}/chat`);
      await composer.fill(QUESTION);
      await composer.press('Enter');
      await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
      // Everything the stub sent before its hold is on screen (the browser gets text in batches).
      await expect.poll(streamingText).toBe(HELD_TEXT);

      await reloadPage(page);
      // The answer shows what it had, still streaming, in place under its question.
      await expect.poll(streamingText).toBe(HELD_TEXT);
      expect(await page.locator('[data-role="user"]').last().getByTestId('question-text').textContent()).toBe(QUESTION);
    } finally {
      release();
    }

    // Then it goes on to its end in the same place.
    const answers = page.locator('[data-role="assistant"]');
    await answers.last().getByText(DEMO_ENDING).waitFor({ timeout: 30_000 });
    await expect.poll(() => answers.last().getAttribute('aria-live'), { timeout: 10_000 }).toBeNull();
    expect(await answers.count()).toBe(1);
    expect((await answers.last().locator('.md').textContent())?.startsWith(DEMO_OPENING)).toBe(true);
    // One upstream call for the whole answer, not a second one after the reload.
    expect(stub.requests.filter((request) => JSON.stringify(request.messages).includes(QUESTION) && !JSON.stringify(request.messages).includes('title'))).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('goes on after the connection drops mid-answer, without a reload', async () => {
    // Between the browser and the server, a relay whose connections the test can cut, as a dropped network does.
    const sockets = new Set<Socket>();
    const target = new URL(server.url);
    const relay = createServer((socket) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const end of [socket, upstream]) {
        sockets.add(end);
        end.on('error', () => undefined);
        end.on('close', () => sockets.delete(end));
      }
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const attaches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('chat.attach')) attaches.push(request.url());
    });
    const release = scriptHeldDemoAnswer(stub, 'And if the connection drops?');
    try {
      const composer = page.getByRole('textbox', { name: 'Message', exact: true });
      const streamingText = async () => (await page.getByTestId('streaming-answer').textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
      await openPage(page, `${relayUrl}/chat`);
      await composer.fill('And if the connection drops?');
      await composer.press('Enter');
      await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
      await expect.poll(streamingText).toContain(DEMO_OPENING);

      for (const socket of sockets) socket.destroy();
      await expect.poll(() => attaches.length).toBeGreaterThan(0);
      release();
      const answers = page.locator('[data-role="assistant"]');
      await answers.last().getByText(DEMO_ENDING).waitFor({ timeout: 30_000 });
      await expect.poll(() => answers.last().getAttribute('aria-live'), { timeout: 10_000 }).toBeNull();
      expect(await answers.count()).toBe(1);
      // The text on screen was not repeated when the stream came back.
      expect((await answers.last().locator('.md').textContent())?.match(/offline demo model/g)).toHaveLength(1);
      expect(pageErrors.filter((error) => !/Failed to load resource|ERR_/.test(error))).toEqual([]);
    } finally {
      release();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});
