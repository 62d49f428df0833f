import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

// The chunks the chat loads on demand: the markdown renderer, and the syntax highlighter
// (rehype-highlight, named after its entry file, index.js).
const MARKDOWN_CHUNK = /\/assets\/Markdown-[\w-]+\.js$/;
const HIGHLIGHTER_CHUNK = /\/assets\/index-[\w-]+\.js$/;
// What Chromium logs for each request the test aborts; nothing else may be logged.
const FAILED_REQUEST = 'console.error: Failed to load resource: net::ERR_FAILED';

const answerWithCode = (n: number) =>
  `Answer ${n}: use a **loop**.\n\n\`\`\`js\nfor (const item of items) console.log(item);\n\`\`\`\n`;

describe('the chat when a chunk fails to load', () => {
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    stub = await startStubUpstream({ demo: true, demoChunkDelayMs: 5 });
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
    await context.addCookies([
      { name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' },
    ]);
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
    expect(pageErrors.filter((error) => error !== FAILED_REQUEST)).toEqual([]);
  });

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const answers = () => page.locator('[data-role="assistant"]');
  /** Asks question `n`, answered with a bold word and a code block, and returns the saved answer. */
  const ask = async (n: number) => {
    stub.script({ text: answerWithCode(n) });
    await composer().fill(`Question ${n}`);
    await composer().press('Enter');
    // The live answer gives way to the saved one once the list is fetched again.
    const answer = answers().nth(n - 1);
    await expect
      .poll(
        async () =>
          (await answer.getAttribute('aria-live')) === null &&
          ((await answer.textContent()) ?? '').includes(`Answer ${n}`),
      )
      .toBe(true);
    return answer;
  };
  /** Aborts every request for `chunk` until `restore` is called; `aborted` counts them. */
  const failRequests = async (chunk: RegExp) => {
    const failing = { aborted: 0, restore: () => page.unroute(chunk) };
    await page.route(chunk, (route) => {
      failing.aborted += 1;
      return route.abort('failed');
    });
    return failing;
  };

  it('shows answers as plain text while a chunk cannot load, and formats and colours a later one once it can', async () => {
    const markdown = await failRequests(MARKDOWN_CHUNK);
    const highlighter = await failRequests(HIGHLIGHTER_CHUNK);
    await openPage(page, `${server.url}/chat`);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    // No renderer: the answer reads as its plain source, in the chat, not on an error page.
    const first = await ask(1);
    expect(markdown.aborted).toBeGreaterThan(0);
    expect(await first.locator('.md').textContent()).toContain('use a **loop**.');
    expect(await first.locator('.md strong, .md pre').count()).toBe(0);
    expect(await page.getByText('Something went wrong').count()).toBe(0);

    // The renderer loads for the next answer; the highlighter still cannot: code shows plain.
    await markdown.restore();
    const second = await ask(2);
    expect(await second.locator('.md strong').textContent()).toBe('loop');
    expect(await second.locator('.md pre code').textContent()).toContain('for (const item of items)');
    await expect.poll(() => highlighter.aborted).toBeGreaterThan(0);
    expect(await second.locator('.md .hljs-keyword').count()).toBe(0);

    // Once the highlighter can load, the next code block is coloured, with no reload.
    await highlighter.restore();
    const third = await ask(3);
    expect(await third.locator('.md strong').textContent()).toBe('loop');
    await expect.poll(() => third.locator('.md pre .hljs-keyword').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
    expect(await page.getByText('Something went wrong').count()).toBe(0);
  });
});
