import { createCaller, createContextInner } from '@atrium/api';
import type { ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

type User = Awaited<ReturnType<typeof makeLocalUser>>['user'];

describe('memory, feedback and limits in a browser', () => {
  let app: WebApp;
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  const pageErrors: string[][] = [];
  let student: User;
  let admin: User;
  let page: Page;

  /** A browser tab signed in as `user`, its page errors checked after each test. */
  async function signedInPage(user: User) {
    const tab = await app.signedInPage(user);
    pageErrors.push(tab.pageErrors);
    return tab.page;
  }
  const callerFor = (user: User) => createCaller(createContextInner({ em: runtime.orm.em.fork(), user, config: runtime.config }));

  beforeAll(async () => {
    app = await startWebApp({ stub: { demoChunkDelayMs: 5 } });
    ({ stub, runtime, server } = app);
    const em = runtime.orm.em.fork();
    student = (await makeLocalUser(em)).user;
    admin = (await makeLocalUser(em, { role: 'admin' })).user;
    page = await signedInPage(student);
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.flat()).toEqual([]);
  });

  const composer = (tab = page) => tab.getByRole('textbox', { name: 'Message', exact: true });
  const answers = (tab = page) => tab.locator('[data-role="assistant"]');
  /** Sends a question from a new chat and waits until the answer is saved (its Copy button). */
  async function ask(question: string, reply: string, tab = page) {
    stub.script({ text: reply });
    await openPage(tab, `${server.url}/chat`);
    await tab.getByRole('heading', { name: 'How can Atrium help?' }).waitFor();
    await expect.poll(() => tab.getByLabel('Model').inputValue()).toBe('demo');
    await composer(tab).fill(question);
    await composer(tab).press('Enter');
    await tab.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await answers(tab).last().getByRole('button', { name: 'Copy answer' }).waitFor();
    await expect.poll(() => composer(tab).isEnabled()).toBe(true);
  }
  /** The system prompt of the streamed answer to `question`, as the upstream received it. */
  const systemPromptFor = (question: string) => {
    const request = stub.requests.findLast((entry) => entry.stream && entry.messages.some((message) => message.role === 'user' && message.content === question));
    expect(request?.messages[0]?.role).toBe('system');
    return request!.messages[0]!.content;
  };

  it('remembers a fact I add, gives it to the assistant, and stops when I turn it off', async () => {
    await openPage(page, `${server.url}/account/memory`);
    await page.getByRole('heading', { name: 'What Atrium remembers about you' }).waitFor();
    expect(await page.title()).toBe('Memory · Atrium');
    expect(await page.getByRole('navigation', { name: 'Account pages' }).getByRole('link', { name: 'Memory' }).getAttribute('aria-current')).toBe('page');
    await page.getByText('Atrium does not remember anything about you yet.').waitFor();

    await page.getByLabel('What it is about').fill('Preferred name');
    await page.getByLabel('What to remember').fill('Deniz');
    await page.getByRole('button', { name: 'Remember', exact: true }).click();
    await page.getByRole('status').getByText('“Preferred name” will be remembered.').waitFor();
    const item = page.getByTestId('memory').filter({ hasText: 'Preferred name' });
    await item.getByText('Deniz').waitFor();
    expect(await item.getByRole('switch', { name: 'Use “Preferred name” in chats' }).getAttribute('aria-checked')).toBe('true');
    expect(await page.getByLabel('What it is about').inputValue()).toBe('');

    // The same name again is refused on the field, linked to it and summarised at the top.
    await page.getByLabel('What it is about').fill('Preferred name');
    await page.getByLabel('What to remember').fill('Dee');
    await page.getByRole('button', { name: 'Remember', exact: true }).click();
    const taken = 'You already have a memory called “Preferred name”. Edit that one or choose another name.';
    await page.getByTestId('error-summary').getByRole('link', { name: taken }).waitFor();
    const key = page.getByLabel('What it is about');
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    expect(await key.getAttribute('aria-describedby')).toContain('memory-key-error');
    expect(await page.locator('#memory-key-error').textContent()).toBe(taken);
    expect(await page.getByTestId('memory').count()).toBe(1);

    // The fact reaches the system prompt, and the answer uses it.
    await ask('What should you call me?', 'Hello Deniz! I will call you Deniz.');
    expect(await answers().last().textContent()).toContain('Hello Deniz!');
    expect(systemPromptFor('What should you call me?')).toContain('- Preferred name: Deniz');

    // Edit its category, then turn it off: kept, but no longer given to the assistant.
    await openPage(page, `${server.url}/account/memory`);
    await item.getByRole('link', { name: 'Edit “Preferred name”' }).click();
    await page.getByRole('heading', { name: 'Edit “Preferred name”' }).waitFor();
    await item.getByLabel('Category').fill('personal');
    await item.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('“Preferred name” was saved.').waitFor();
    await item.getByText('personal', { exact: true }).waitFor();

    await item.getByRole('switch', { name: 'Use “Preferred name” in chats' }).click();
    await page.getByRole('status').getByText('“Preferred name” is kept but no longer given to the assistant.').waitFor();
    await expect.poll(() => item.getByRole('switch').getAttribute('aria-checked')).toBe('false');
    expect(await callerFor(student).preferences.list()).toMatchObject([{ key: 'Preferred name', value: 'Deniz', category: 'personal', isActive: false }]);

    await ask('Say hello to me, please.', 'Hello there!');
    const system = systemPromptFor('Say hello to me, please.');
    expect(system).not.toContain('Deniz');
    expect(system).not.toContain('Preferred name');
  });

  it('likes an answer, switches to a dislike with a comment, and takes it back', async () => {
    const conversationId = page.url().split('/').at(-1)!;
    const mine = () => callerFor(student).feedback.mine({ conversationId });
    const answer = answers().last();
    const like = answer.getByRole('button', { name: 'Good answer' });
    const dislike = answer.getByRole('button', { name: 'Bad answer' });

    await like.click();
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await mine()).map((rating) => rating.type)).toEqual(['like']);
    await reloadPage(page);
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => dislike.getAttribute('aria-pressed')).toBe('false');

    await dislike.click();
    await answer.getByLabel('What was wrong with this answer? (optional)').fill('Too short.');
    await answer.getByRole('button', { name: 'Send feedback' }).click();
    await expect.poll(async () => (await mine()).map(({ type, comment }) => ({ type, comment }))).toEqual([{ type: 'dislike', comment: 'Too short.' }]);
    await expect.poll(() => dislike.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('false');

    // Pressing the chosen thumb again retracts the rating.
    await dislike.click();
    await expect.poll(() => dislike.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(async () => (await mine()).length).toBe(0);
    await reloadPage(page);
    await answer.getByRole('button', { name: 'Copy answer' }).waitFor();
    await expect.poll(() => dislike.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('false');
  });

  it('refuses a send over the daily limit, and lets the same page send once an admin raises it', async () => {
    const learner = (await makeLocalUser(runtime.orm.em.fork())).user;
    await callerFor(admin).users.setLimits({ id: learner.id, limits: { demo: { dailyRequestLimit: 1 } } });
    const tab = await signedInPage(learner);

    await ask('What is an eigenvalue?', 'A scalar λ with Av = λv.', tab);
    await composer(tab).fill('And an eigenvector?');
    await composer(tab).press('Enter');
    const alert = tab.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^You've used your 1 requests for Demo \(offline\) today\. Resets at \d\d:\d\d \(in \d+ (h|min)\)\.$/);
    await expect.poll(() => composer(tab).inputValue()).toBe('And an eigenvector?');

    await callerFor(admin).users.setLimits({ id: learner.id, limits: { demo: { dailyRequestLimit: 5 } } });
    stub.script({ text: 'A nonzero v with Av = λv.' });
    await composer(tab).press('Enter');
    await answers(tab).last().getByText('A nonzero v with Av = λv.').waitFor();
    await expect.poll(() => answers(tab).count()).toBe(2);
    await expect.poll(() => tab.getByRole('alert').count()).toBe(0);
  });
});
