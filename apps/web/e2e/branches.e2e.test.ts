import { readFile } from 'node:fs/promises';
import { makeLocalUser } from '@atrium/auth/testing';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

describe('branches and versions in a browser', () => {
  let app: WebApp;
  let stub: StubUpstream;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    app = await startWebApp({ stub: { demoChunkDelayMs: 5 } });
    ({ stub, server } = app);
    const { user } = await makeLocalUser(app.runtime.orm.em.fork());
    ({ page, pageErrors } = await app.signedInPage(user, { acceptDownloads: true }));
  });
  afterAll(() => app?.close());
  beforeEach(() => stub.reset());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const questions = () => page.locator('[data-role="user"]');
  const answers = () => page.locator('[data-role="assistant"]');
  /** The saved answer is shown (the live one gives way to it once the list is fetched again). */
  const answerSaved = (text: string) =>
    expect.poll(async () => (await answers().last().getAttribute('aria-live')) === null && ((await answers().last().textContent()) ?? '').includes(text)).toBe(true);
  const shownQuestions = () => questions().getByTestId('question-text').allTextContents();

  async function newChatWith(question: string, answer: string) {
    await openPage(page, `${server.url}/chat`);
    stub.script({ text: answer });
    await composer().fill(question);
    await composer().press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await answerSaved(answer);
  }

  it('edits a question into a new branch and switches between the branches', async () => {
    await newChatWith('What is a stack?', 'Last in, first out.');
    stub.script({ text: 'Pushing and popping.' });
    await composer().fill('How is it used?');
    await composer().press('Enter');
    await answerSaved('Pushing and popping.');

    // Edit the second question: the new branch replaces it and what followed, in view.
    const second = questions().nth(1);
    await second.getByRole('button', { name: 'Edit question' }).click();
    const field = page.getByRole('textbox', { name: 'Edit your question' });
    await field.fill('Where is it used in compilers?');
    stub.script({ text: 'For parsing and call frames.' });
    await page.getByTestId('messages').getByRole('button', { name: 'Send', exact: true }).click();
    await answerSaved('For parsing and call frames.');
    await expect.poll(shownQuestions).toEqual(['What is a stack?', 'Where is it used in compilers?']);
    await expect.poll(() => questions().nth(1).getByTestId('version').textContent()).toBe('2 / 2');
    expect(await questions().first().getByTestId('version').count()).toBe(0);

    // The first version is whole, with its own answer; and back again.
    await questions().nth(1).getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(shownQuestions).toEqual(['What is a stack?', 'How is it used?']);
    await answerSaved('Pushing and popping.');
    expect(await questions().nth(1).getByTestId('version').textContent()).toBe('1 / 2');
    await questions().nth(1).getByRole('button', { name: 'Next version' }).click();
    await expect.poll(shownQuestions).toEqual(['What is a stack?', 'Where is it used in compilers?']);
    await answerSaved('For parsing and call frames.');

    // What is shown after a reload is the branch last viewed.
    await reloadPage(page);
    await expect.poll(shownQuestions).toEqual(['What is a stack?', 'Where is it used in compilers?']);
    expect(await answers().count()).toBe(2);

    // Exported from the header: the Markdown holds the branch in view.
    await page.getByRole('button', { name: 'Export chat' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export as Markdown' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const markdown = await readFile((await download.path())!, 'utf8');
    expect(markdown).toContain('## You\n\nWhere is it used in compilers?');
    expect(markdown).toContain('For parsing and call frames.');
    expect(markdown).not.toContain('How is it used?');
  });

  it('keeps every regenerated answer as a version to step through, and deletes one', async () => {
    await newChatWith('Name a sorting algorithm.', 'Quicksort.');
    stub.script({ text: 'Merge sort.' });
    await answers().last().getByRole('button', { name: 'Regenerate' }).click();
    await answerSaved('Merge sort.');
    stub.script({ text: 'Heapsort.' });
    await answers().last().getByRole('button', { name: 'Regenerate' }).click();
    await answerSaved('Heapsort.');
    await expect.poll(() => answers().last().getByTestId('version').textContent()).toBe('3 / 3');
    expect(await answers().count()).toBe(1);

    await answers().last().getByRole('button', { name: 'Previous version' }).click();
    await answerSaved('Merge sort.');
    await expect.poll(() => answers().last().getByTestId('version').textContent()).toBe('2 / 3');
    await answers().last().getByRole('button', { name: 'Previous version' }).click();
    await answerSaved('Quicksort.');
    await expect.poll(() => answers().last().getByTestId('version').textContent()).toBe('1 / 3');

    // Deleting the version in view asks first, then shows a remaining one.
    await answers().last().getByRole('button', { name: 'Delete this version' }).click();
    await answers().last().getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => answers().last().getByTestId('version').textContent()).toBe('2 / 2');
    await answerSaved('Heapsort.');
    await reloadPage(page);
    await answerSaved('Heapsort.');
    expect(await answers().last().getByTestId('version').textContent()).toBe('2 / 2');
  });
});
