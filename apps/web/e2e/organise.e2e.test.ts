import { createCaller, createContextInner } from '@atrium/api';
import { makeLocalUser } from '@atrium/auth/testing';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

describe('organising chats in a browser', () => {
  let app: WebApp;
  let stub: StubUpstream;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];
  let tripId: string;
  let answerId: string;

  beforeAll(async () => {
    app = await startWebApp({ stub: { demoChunkDelayMs: 1 } });
    ({ stub, server } = app);
    const em = app.runtime.orm.em.fork();
    const { user } = await makeLocalUser(em);
    // Three chats, oldest first, made straight through the API.
    const caller = createCaller(createContextInner({ em, user, config: app.runtime.config }));
    for (const title of ['Thermodynamics notes', 'Linear algebra', 'Essay outline']) await caller.chat.create({ title });
    // A chat whose title says nothing of what was said in it.
    stub.script({ text: "Take the ferry to Kadıköy and walk along the Bosphorus; Üsküdar's çay gardens are lovely." });
    for await (const event of await caller.chat.send({ content: 'Where should we go on Saturday?', modelId: 'demo' })) {
      if (event.type === 'started') tripId = event.conversation.id;
      if (event.type === 'finished') answerId = event.message!.id;
    }
    await caller.chat.rename({ id: tripId, title: 'Weekend plans' });
    ({ page, pageErrors } = await app.signedInPage(user));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
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
