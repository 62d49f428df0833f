import { createCaller, createContextInner } from '@atrium/api';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import type { IUser } from '@atrium/db';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser, openPage, reloadPage } from '@atrium/testing/browser';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';

describe('sharing a chat in a browser', () => {
  let stub: StubUpstream;
  let runtime: ApiRuntime;
  let server: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let conversationId: string;

  async function signedInContext(user: IUser) {
    const { token } = await createSession(runtime.orm.em.fork(), user, { type: 'active_session' });
    const context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    contexts.push(context);
    return context;
  }

  let owner: IUser;
  let viewer: IUser;

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
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await runtime?.close();
    await stub?.close();
  });

  it('shares a read-only copy another student opens, until the owner revokes it', async () => {
    const ownerPage = await (await signedInContext(owner)).newPage();
    const ownerErrors = collectPageErrors(ownerPage);
    await openPage(ownerPage, `${server.url}/chat/${conversationId}`);
    await ownerPage.getByRole('button', { name: 'Share chat' }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Share a read-only copy' });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const linkBox = dialog.getByRole('textbox', { name: 'Share link' });
    await expect.poll(() => linkBox.inputValue()).toMatch(/\/shared\/[A-Za-z0-9_-]{22}$/);
    const link = await linkBox.inputValue();
    await expect.poll(() => dialog.getByTestId('share-link').count()).toBe(1);

    // Another student opens it: the chat as shared, and nothing of their own account.
    const viewerPage = await (await signedInContext(viewer)).newPage();
    const viewerErrors = collectPageErrors(viewerPage);
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
    const visitor = await browser.newContext();
    contexts.push(visitor);
    const visitorPage = await visitor.newPage();
    await openPage(visitorPage, link);
    await visitorPage.waitForURL(/\/login\?redirectTo=%2Fshared%2F/);

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
