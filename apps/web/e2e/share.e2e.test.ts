import { createCaller, createContextInner } from '@atrium/api';
import { makeLocalUser } from '@atrium/auth/testing';
import type { IUser } from '@atrium/db';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from './web-app';

describe('sharing a chat in a browser', () => {
  let app: WebApp;
  let server: AppServer;
  let conversationId: string;
  let owner: IUser;
  let viewer: IUser;

  beforeAll(async () => {
    app = await startWebApp({ stub: { demoChunkDelayMs: 1 } });
    server = app.server;
    const { runtime, stub } = app;
    const em = runtime.orm.em.fork();
    owner = (await makeLocalUser(em)).user;
    viewer = (await makeLocalUser(em)).user;
    em.assign(viewer, { displayName: 'Viewer Vildan' });
    await em.flush();
    const caller = createCaller(createContextInner({ em, user: owner, config: runtime.config }));
    stub.script({ text: 'The library opens at **08:30** on weekdays.' });
    for await (const event of await caller.chat.send({ content: 'When does the library open?', modelId: 'demo' })) {
      if (event.type === 'started') conversationId = event.conversation.id;
    }
    await caller.chat.rename({ id: conversationId, title: 'Library hours' });
  });
  afterAll(() => app?.close());

  it('shares a read-only copy another student opens, until the owner revokes it', async () => {
    const { page: ownerPage, pageErrors: ownerErrors } = await app.signedInPage(owner);
    await openPage(ownerPage, `${server.url}/chat/${conversationId}`);
    await ownerPage.getByRole('button', { name: 'Share chat' }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Share a read-only copy' });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const linkBox = dialog.getByRole('textbox', { name: 'Share link' });
    await expect.poll(() => linkBox.inputValue()).toMatch(/\/shared\/[A-Za-z0-9_-]{22}$/);
    const link = await linkBox.inputValue();
    await expect.poll(() => dialog.getByTestId('share-link').count()).toBe(1);

    // Another student opens it: the chat as shared, and nothing of their own account.
    const { page: viewerPage, pageErrors: viewerErrors } = await app.signedInPage(viewer);
    await openPage(viewerPage, link);
    await expect.poll(() => viewerPage.getByTestId('shared-title').textContent()).toBe('Library hours');
    const messages = viewerPage.getByTestId('shared-message');
    expect(await messages.count()).toBe(2);
    expect(await messages.nth(0).textContent()).toContain('When does the library open?');
    // The answer is formatted like the chat formats it.
    expect(await messages.nth(1).locator('strong').textContent()).toBe('08:30');
    const html = await viewerPage.content();
    expect(html).not.toContain('Viewer Vildan');
    expect(html).not.toContain(viewer.username);
    expect(html).not.toContain(viewer.id);
    expect(await viewerPage.getByRole('textbox').count()).toBe(0);

    // Signed out, the link leads to sign-in.
    const visitor = await app.browser.newContext();
    const visitorPage = await visitor.newPage();
    await openPage(visitorPage, link);
    await visitorPage.waitForURL(/\/login\?redirectTo=%2Fshared%2F/);
    await visitor.close();

    // Revoked: the link is gone for the other student.
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => dialog.getByTestId('share-link').textContent()).toContain('Revoked');
    await reloadPage(viewerPage);
    await expect.poll(() => viewerPage.getByRole('heading', { name: 'This link does not exist or was revoked.' }).isVisible()).toBe(true);

    expect(ownerErrors).toEqual([]);
    // The revoked link's 404 is the one expected error on the viewer's page.
    expect(viewerErrors.filter((error) => !error.includes('404'))).toEqual([]);
  });
});
