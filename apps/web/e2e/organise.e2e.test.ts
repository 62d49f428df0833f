import { createCaller, createContextInner } from '@atrium/api';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

describe('organising chats in a browser', () => {
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let tripId: string;
  let answerId: string;

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
    const { user } = await makeLocalUser(em);
    // Three chats, oldest first, made straight through the API.
    const caller = createCaller(createContextInner({ em, user, config: runtime.config }));
    for (const title of ['Thermodynamics notes', 'Linear algebra', 'Essay outline']) await caller.chat.create({ title });
    // A chat whose title says nothing of what was said in it.
    stub.script({ text: "Take the ferry to Kadıköy and walk along the Bosphorus; Üsküdar's çay gardens are lovely." });
    for await (const event of await caller.chat.send({ content: 'Where should we go on Saturday?', modelId: 'demo' })) {
      if (event.type === 'started') tripId = event.conversation.id;
      if (event.type === 'finished') answerId = event.message!.id;
    }
    await caller.chat.rename({ id: tripId, title: 'Weekend plans' });
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

  const sidebar = () => page.getByRole('navigation', { name: 'Conversations' });
  const section = (name: string) => sidebar().getByRole('region', { name });
  const titlesIn = (name: string) => section(name).getByRole('link').allTextContents();
  const choose = async (title: string, action: string) => {
    await sidebar().getByRole('button', { name: `Actions for “${title}”` }).click();
    await page.getByRole('menuitem', { name: action, exact: true }).click();
  };

  it('pins a chat to the top, archives one out of the list and restores it', async () => {
    await openPage(page, `${server.url}/chat`);
    await expect.poll(() => titlesIn('Recent')).toEqual(['Weekend plans', 'Essay outline', 'Linear algebra', 'Thermodynamics notes']);

    await choose('Thermodynamics notes', 'Pin');
    await expect.poll(() => titlesIn('Pinned')).toEqual(['Thermodynamics notes']);
    await expect.poll(() => titlesIn('Recent')).toEqual(['Weekend plans', 'Essay outline', 'Linear algebra']);

    await choose('Linear algebra', 'Archive');
    await expect.poll(() => titlesIn('Recent')).toEqual(['Weekend plans', 'Essay outline']);
    // Still found by a search, marked as archived.
    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('algebra');
    await expect.poll(() => section('Search results').getByRole('link').allTextContents()).toEqual(['Linear algebraArchived']);
    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('');

    await sidebar().getByRole('button', { name: 'Archived chats' }).click();
    await expect.poll(() => titlesIn('Archived chats')).toEqual(['Linear algebraArchived']);
    await choose('Linear algebra', 'Restore');
    await expect.poll(() => section('Archived chats').getByText('No archived chats.').isVisible()).toBe(true);
    await sidebar().getByRole('button', { name: 'Back to chats' }).click();
    await expect.poll(() => titlesIn('Recent')).toEqual(['Weekend plans', 'Essay outline', 'Linear algebra']);

    // It all holds after a reload.
    await reloadPage(page);
    await expect.poll(() => titlesIn('Pinned')).toEqual(['Thermodynamics notes']);
    await expect.poll(() => titlesIn('Recent')).toEqual(['Weekend plans', 'Essay outline', 'Linear algebra']);
  });

  it('finds a message by a word only its text contains, typed without Turkish letters, and opens the chat at it', async () => {
    await openPage(page, `${server.url}/chat`);
    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('uskudar');
    const hits = section('Messages');
    await expect.poll(() => hits.getByTestId('message-hit').count()).toBe(1);
    expect(await hits.locator('mark').allTextContents()).toEqual(['Üsküdar']);
    // No title says it: the chats part of the results is empty.
    expect(await section('Search results').getByRole('link').count()).toBe(0);

    await hits.getByRole('link').click();
    await page.waitForURL(`${server.url}/chat/${tripId}?message=${answerId}`);
    const found = page.locator(`[data-message-id="${answerId}"]`);
    await expect.poll(() => found.getAttribute('data-found')).toBe('');
    expect(await found.textContent()).toContain('çay gardens');
  });
});
