import { createCaller, createContextInner } from '@atrium/api';
import type { ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { openPage, reloadPage } from '@atrium/testing/browser';
import { demoAnswer, stubHold, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

const QUESTION = 'Why is the sky blue?';
const DEMO_ENDING = 'Ask another question to see another demo reply.';

// The chunks the chat loads on demand: the markdown renderer, and the syntax highlighter
// (rehype-highlight, named after its entry file, index.js).
const MARKDOWN_CHUNK = /\/assets\/Markdown-[\w-]+\.js$/;
const HIGHLIGHTER_CHUNK = /\/assets\/index-[\w-]+\.js$/;
// What Chromium logs for each request a test aborts; nothing else may be logged.
const FAILED_REQUEST = 'console.error: Failed to load resource: net::ERR_FAILED';

describe('chatting in a browser', () => {
  let app: WebApp;
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];
  let student: Awaited<ReturnType<typeof makeLocalUser>>['user'];

  beforeAll(async () => {
    // The Demo model streams a word every 30 ms: slow enough to watch, quick enough to finish.
    app = await startWebApp({ stub: { demoChunkDelayMs: 30 } });
    ({ stub, runtime, server } = app);
    // Signed in without the sign-in page: a user and a session straight from the database.
    student = (await makeLocalUser(runtime.orm.em.fork())).user;
    ({ page, pageErrors } = await app.signedInPage(student));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const answers = () => page.locator('[data-role="assistant"]');
  const openNewChat = async () => {
    // The button above the list: a chat not yet titled is listed as "New chat" too.
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'New chat', exact: true }).first().click();
    await page.getByRole('heading', { name: 'How can Atrium help?' }).waitFor();
  };
  /** Holds the data of any conversation's page until released: the page stays where it is meanwhile. */
  const holdConversationPages = async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const conversationData = /\/chat\/[0-9a-f-]{36}\.data/;
    const continued: Promise<void>[] = [];
    await page.route(conversationData, (route) => {
      const done = held.then(() => route.continue());
      continued.push(done);
      return done;
    });
    return async () => {
      release();
      await Promise.all(continued);
      await page.unroute(conversationData);
    };
  };
  /** Asks `question` in a new chat and waits for its scripted `answer` to end. */
  const askInNewChat = async (question: string, answer: string) => {
    stub.script({ text: answer });
    await openNewChat();
    await composer().fill(question);
    await composer().press('Enter');
    await answers().last().getByTestId('answer-details').waitFor({ timeout: 20_000 });
  };
  const streamingText = async () => (await page.getByTestId('streaming-answer').textContent({ timeout: 5_000 })) ?? '';

  it('streams an answer into a new chat, stops it keeping the partial text, and regenerates it', async () => {
    await openPage(page, `${server.url}/chat`);
    await expect.poll(() => page.getByTestId('demo-badge').isVisible()).toBe(true);
    expect(await page.getByLabel('Model').inputValue()).toBe('demo');

    // The answer is held upstream after its opening and again a little later: the test sees it
    // grow and stops it mid-way however slow the machine is.
    const afterOpening = stubHold(8);
    const later = stubHold(16);
    stub.script({ text: demoAnswer(QUESTION), chunkDelayMs: 10, holds: [afterOpening, later] });
    let partial: string;
    try {
      await composer().fill(QUESTION);
      await composer().press('Enter');

      // The first event names the new conversation: the page moves to it while the answer streams.
      await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
      expect(await page.locator('[data-role="user"]').last().getByTestId('question-text').textContent()).toBe(QUESTION);

      // The answer grows as it is written: two observations, both before it is complete.
      await expect.poll(streamingText).toContain("This is Atrium's offline demo model.");
      const first = await streamingText();
      afterOpening.release();
      await expect.poll(async () => (await streamingText()).length).toBeGreaterThan(first.length);
      const second = await streamingText();
      expect(second).not.toContain(DEMO_ENDING);

      await page.getByRole('button', { name: 'Stop' }).click();
      const answer = answers().last();
      await answer.getByText('Stopped').waitFor();
      partial = (await answer.locator('.md').textContent()) ?? '';
      expect(partial.length).toBeGreaterThanOrEqual(second.length);
      expect(partial).not.toContain(DEMO_ENDING);
    } finally {
      afterOpening.release();
      later.release();
    }

    // Stop closed the upstream connection too, and the server kept the partial answer, marked stopped:
    // the live answer gives way to the saved one, which still says so.
    await expect.poll(() => stub.requests.at(-1)?.closedEarly).toBe(true);
    await expect.poll(() => composer().isEnabled()).toBe(true);
    await expect.poll(() => answers().last().getAttribute('aria-live'), { timeout: 10_000 }).toBeNull();
    const saved = (await answers().last().locator('.md').textContent()) ?? '';
    expect(saved.slice(0, 40)).toBe(partial.slice(0, 40));
    expect(saved.length).toBeGreaterThanOrEqual(partial.length);
    expect(saved).not.toContain(DEMO_ENDING);
    expect(await answers().last().getByText('Stopped').isVisible()).toBe(true);
    // The stopped answer can be rated at once, without a reload.
    await expect.poll(() => answers().last().getByRole('button', { name: 'Good answer' }).isVisible()).toBe(true);

    // Regenerate replaces it with a complete answer.
    await answers().last().getByRole('button', { name: 'Regenerate' }).click();
    await answers().last().getByText(DEMO_ENDING).waitFor({ timeout: 20_000 });
    expect(await answers().count()).toBe(1);
    expect(await answers().last().getByText('Stopped').count()).toBe(0);
    expect(await answers().last().locator('pre code').textContent()).toContain('GROQ_API_KEY=your-key npm run dev');

    // After the first complete exchange the chat gets a title, in the header and the sidebar.
    await expect.poll(() => page.getByTestId('chat-title').textContent(), { timeout: 10_000 }).toBe(QUESTION);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: QUESTION }).waitFor();
  });

  it('renames the chat, puts it in a group, and shows it all again after a reload', async () => {
    await page.getByRole('button', { name: 'Rename chat' }).click();
    await page.getByLabel('Chat title').fill('Light and colour');
    await page.getByLabel('Chat title').press('Enter');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Light and colour');

    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    await sidebar.getByRole('link', { name: 'Light and colour' }).hover();
    await sidebar.getByRole('button', { name: 'Actions for “Light and colour”' }).click();
    await page.getByRole('menuitem', { name: 'Move to group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move to a group' });
    await dialog.getByLabel('Group').selectOption({ label: 'A new group…' });
    await dialog.getByLabel('New group').fill('Physics');
    await dialog.getByRole('button', { name: 'Move' }).click();
    await sidebar.getByRole('region', { name: 'Physics' }).getByRole('link', { name: 'Light and colour' }).waitFor();

    await reloadPage(page);
    expect(await page.getByTestId('chat-title').textContent()).toBe('Light and colour');
    expect(await page.getByTestId('chat-group').textContent()).toContain('Physics');
    await sidebar.getByRole('region', { name: 'Physics' }).getByRole('link', { name: 'Light and colour' }).waitFor();
    expect(await page.locator('[data-role="user"]').getByTestId('question-text').allTextContents()).toEqual([QUESTION]);
    expect(await answers().count()).toBe(1);
    expect(await answers().first().textContent()).toContain(DEMO_ENDING);
    expect(await page.title()).toBe('Light and colour · Atrium');
  });

  it("shows a model's HTML as text, never as markup", async () => {
    const payload = '**Careful** with <img src=x onerror="window.__pwned = 2"> inline.\n\n<script>window.__pwned = 1</script>\n\nThe end.';
    stub.script({ text: payload });
    await openNewChat();
    await composer().fill('Show me some HTML, please.');
    await composer().press('Enter');

    const answer = answers().last();
    await answer.getByText('The end.').waitFor({ timeout: 20_000 });
    await answer.getByRole('button', { name: 'Copy answer' }).waitFor();
    const text = (await answer.locator('.md').textContent()) ?? '';
    expect(text).toContain('<script>window.__pwned = 1</script>');
    expect(text).toContain('<img src=x onerror="window.__pwned = 2">');
    expect(await answer.locator('.md script, .md img').count()).toBe(0);
    expect(await answer.locator('.md strong').textContent()).toBe('Careful');
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('formats an answer and colours its code once the highlighter has loaded, also after a reload', async () => {
    stub.script({ text: 'An **area**:\n\n```python\ndef area(r):\n    return 3.14 * r * r\n```\n\nDone.' });
    await openNewChat();
    await composer().fill('Write a function for the area of a circle.');
    await composer().press('Enter');
    // Reloaded on its own page: a busy server can end the answer before the chat has moved there.
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);

    const answer = answers().last();
    await answer.getByText('Done.').waitFor({ timeout: 20_000 });
    // Markdown and highlighting are chunks of their own, fetched on demand: the code is coloured once they are in.
    await answer.locator('.md pre .hljs-keyword', { hasText: 'def' }).waitFor();
    await answer.getByRole('button', { name: 'Copy code' }).waitFor();
    expect(await answer.locator('.md strong').textContent()).toBe('area');

    // A reload renders the formatted answer on the server and hydrates it without a mismatch.
    await reloadPage(page);
    await answers().last().locator('.md pre .hljs-keyword', { hasText: 'def' }).waitFor();
    expect(await answers().last().locator('.md strong').textContent()).toBe('area');
  });

  it('fetches nothing after a follow-up, which brings its messages, list place and quota with its stream, and a new chat its title once more', async () => {
    // What the page asks the API for, request by request (queries are GETs, batched).
    const batches: string[][] = [];
    const onRequest = (request: Request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' && url.pathname.startsWith('/api/trpc/')) batches.push(url.pathname.slice('/api/trpc/'.length).split(',').toSorted());
    };
    page.on('request', onRequest);
    const quota = page.getByTestId('quota');
    try {
      stub.script({ text: 'The first answer.' }, { text: 'The second answer.' });
      await openNewChat();
      await composer().fill('What changes after an answer?');
      const fromFirst = batches.length;
      await composer().press('Enter');
      await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
      await answers().last().getByText('The first answer.').waitFor({ timeout: 20_000 });
      // The new chat's title is written after its answer: a while later, its list, its header and
      // the quota (the title's call is metered) are fetched once more.
      await expect.poll(() => batches.some((procedures) => procedures.join() === 'chat.conversations,chat.conversations,chat.get,usage.mine')).toBe(true);
      await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('What changes after an answer?');
      // The new chat joined the sidebar from its stream's first event: its lists are fetched after
      // its answer (a quick title) and for its title, not when it started.
      expect(batches.slice(fromFirst).flat().filter((procedure) => procedure === 'chat.conversations')).toHaveLength(4);
      const quotaBefore = await quota.textContent();

      const fromFollowUp = batches.length;
      await composer().fill('And after a follow-up?');
      await composer().press('Enter');
      await answers().last().getByText('The second answer.').waitFor({ timeout: 20_000 });
      // The quota shown counts the follow-up, from the answer's end.
      await expect.poll(() => quota.textContent()).not.toBe(quotaBefore);
      // Past the moment the page used to fetch everything a second time.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      // Nothing: the question and the saved answer, the chat's place in the sidebar and the quota
      // all came with the answer's stream. The chat's header changes only with its title, after
      // the first answer; the groups never with a turn; the files only when something was drawn.
      expect(batches.slice(fromFollowUp)).toEqual([]);
    } finally {
      page.off('request', onRequest);
    }
    // The answer is the saved one (it can be rated) and the question can be edited, as after a reload.
    await answers().last().getByRole('button', { name: 'Good answer' }).waitFor();
    expect(await answers().count()).toBe(2);
    const shown = await page.locator('[data-role]').evaluateAll((elements) => elements.map((element) => element.textContent));
    const listed = await page.getByTestId('conversation-list').textContent();
    const quotaShown = await quota.textContent();
    await reloadPage(page);
    await answers().last().getByRole('button', { name: 'Good answer' }).waitFor();
    expect(await page.locator('[data-role]').evaluateAll((elements) => elements.map((element) => element.textContent))).toEqual(shown);
    expect(await page.getByTestId('conversation-list').textContent()).toBe(listed);
    await expect.poll(() => quota.textContent()).toBe(quotaShown);
  });

  it('keeps a follow-up written before the new chat has moved to its page in that chat', async () => {
    // The move to /chat/:id waits for its page's data from the server; on a busy server the answer
    // can end first. Here the page's data is held until the follow-up is written and sent.
    const release = await holdConversationPages();
    try {
      await askInNewChat('A first question', 'A first answer.');
      expect(page.url()).toBe(`${server.url}/chat`);

      stub.script({ text: 'A second answer.' });
      await composer().fill('A follow-up');
      await composer().press('Enter');
      await release();
      await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
      await answers().nth(1).getByText('A second answer.').waitFor({ timeout: 20_000 });
    } finally {
      await release();
    }
    expect(await page.locator('[data-role="user"]').getByTestId('question-text').allTextContents()).toEqual(['A first question', 'A follow-up']);
    await reloadPage(page);
    expect(await page.locator('[data-role="user"]').getByTestId('question-text').allTextContents()).toEqual(['A first question', 'A follow-up']);
    expect(await answers().allTextContents()).toEqual([expect.stringContaining('A first answer.'), expect.stringContaining('A second answer.')]);
  });

  it("keeps what I write while a new chat moves to its page, and each chat's unsent text when I go to another", async () => {
    const release = await holdConversationPages();
    try {
      await askInNewChat('Remember this', 'Noted.');
      await composer().fill('Half a thought');
      await release();
      await page.getByRole('button', { name: 'Rename chat' }).waitFor();
    } finally {
      await release();
    }
    const draftChat = page.url();
    expect(await composer().inputValue()).toBe('Half a thought');

    // Another chat starts empty; coming back finds the text where it was left.
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Light and colour' }).click();
    await page.getByRole('heading', { level: 1, name: 'Light and colour' }).waitFor();
    expect(await composer().inputValue()).toBe('');
    await page.goBack();
    await page.waitForURL(draftChat);
    await expect.poll(() => composer().inputValue()).toBe('Half a thought');
  });

  it('opens a fresh new chat when asked for one before the last new chat has moved to its page', async () => {
    // The answer ends while the move to /chat/:id waits for its page's data (a busy server); the
    // student asks for another new chat meanwhile, which takes the place of that move.
    const release = await holdConversationPages();
    try {
      await askInNewChat('A quick one', 'Quick answer.');
      expect(page.url()).toBe(`${server.url}/chat`);
      await openNewChat();
    } finally {
      await release();
    }
    expect(page.url()).toBe(`${server.url}/chat`);
    expect(await answers().count()).toBe(0);
    expect(await composer().inputValue()).toBe('');
    // The chat asked in is kept, question and answer.
    const kept = await runtime.orm.em
      .fork()
      .execute<{ role: string; content: string }[]>(
        `select m.role, m.content from messages m join messages q on q.conversation_id = m.conversation_id where q.content = 'A quick one' order by m.created_at`,
      );
    expect(kept.map((message) => message.content)).toEqual(['A quick one', 'Quick answer.']);
  });

  it('shows answers as plain text while a chunk cannot load, and formats and colours a later one once it can', async () => {
    // A browser profile of its own: none of the chat's chunks loaded or cached yet.
    const { user } = await makeLocalUser(runtime.orm.em.fork());
    const { page: fresh, pageErrors: errors, context: own } = await app.signedInPage(user);
    const answersHere = () => fresh.locator('[data-role="assistant"]');
    /** Asks question `n`, answered with a bold word and a code block, and returns the saved answer. */
    const ask = async (n: number) => {
      stub.script({ text: `Answer ${n}: use a **loop**.\n\n\`\`\`js\nfor (const item of items) console.log(item);\n\`\`\`\n` });
      const message = fresh.getByRole('textbox', { name: 'Message', exact: true });
      await message.fill(`Question ${n}`);
      await message.press('Enter');
      // The live answer gives way to the saved one once the list is fetched again.
      const answer = answersHere().nth(n - 1);
      await expect
        .poll(async () => (await answer.getAttribute('aria-live')) === null && ((await answer.textContent()) ?? '').includes(`Answer ${n}`))
        .toBe(true);
      return answer;
    };
    /** Aborts every request for `chunk` until `restore` is called; `aborted` counts them. */
    const failRequests = async (chunk: RegExp) => {
      const failing = { aborted: 0, restore: () => fresh.unroute(chunk) };
      await fresh.route(chunk, (route) => {
        failing.aborted += 1;
        return route.abort('failed');
      });
      return failing;
    };

    try {
      const markdown = await failRequests(MARKDOWN_CHUNK);
      const highlighter = await failRequests(HIGHLIGHTER_CHUNK);
      await openPage(fresh, `${server.url}/chat`);
      await fresh.evaluate(() => Object.assign(window, { sameDocument: true }));

      // No renderer: the answer reads as its plain source, in the chat, not on an error page.
      const first = await ask(1);
      expect(markdown.aborted).toBeGreaterThan(0);
      expect(await first.locator('.md').textContent()).toContain('use a **loop**.');
      expect(await first.locator('.md strong, .md pre').count()).toBe(0);
      expect(await fresh.getByText('Something went wrong').count()).toBe(0);

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
      expect(await fresh.evaluate(() => 'sameDocument' in window)).toBe(true);
      expect(await fresh.getByText('Something went wrong').count()).toBe(0);
      expect(errors.filter((error) => error !== FAILED_REQUEST)).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('says plainly when the daily limit is used up, and gives the question back', async () => {
    // An admin sets today's limit to what this user has already used.
    const em = runtime.orm.em.fork();
    const { user: admin } = await makeLocalUser(em, { role: 'admin' });
    const used = (await createCaller(createContextInner({ em, user: student, config: runtime.config })).usage.mine()).find((row) => row.model.id === 'demo')!;
    expect(used.today.requests).toBeGreaterThan(0);
    const asAdmin = createCaller(createContextInner({ em, user: admin, config: runtime.config }));
    await asAdmin.users.setLimits({ id: student.id, limits: { demo: { dailyRequestLimit: used.today.requests } } });

    await openNewChat();
    await composer().fill('One more question');
    await composer().press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^You've used your \d+ requests for Demo \(offline\) today\. Resets at \d\d:\d\d \(in \d+ (h|min)\)\.$/);
    await expect.poll(() => composer().inputValue()).toBe('One more question');
    expect(page.url()).toBe(`${server.url}/chat`);
  });
});
