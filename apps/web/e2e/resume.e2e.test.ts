import { makeLocalUser } from '@atrium/auth/testing';
import { openPage, reloadPage } from '@atrium/testing/browser';
import { demoAnswer, stubHold, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

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
  let app: WebApp;
  let stub: StubUpstream;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    app = await startWebApp();
    ({ stub, server } = app);
    const { user } = await makeLocalUser(app.runtime.orm.em.fork());
    ({ page, pageErrors } = await app.signedInPage(user));
  });
  afterAll(() => app?.close());

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
    expect(pageErrors.splice(0)).toEqual([]);
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
