import type { SsoConfig } from '@atrium/auth';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { User } from '@atrium/db';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import { oidcTestAccounts, startOidcProvider, type OidcTestProvider } from '@atrium/testing/oidc-provider';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

/**
 * A student signs in through the university's OpenID provider: Atrium's button, the provider's
 * own login page, and back into the chat with an ordinary Atrium session.
 */
describe('single sign-on with OpenID Connect in a browser', () => {
  let runtime: ApiRuntime;
  let web: AppServer;
  let idp: OidcTestProvider;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  // Filled in once the web app's address (the redirect URI) is known.
  const sso: SsoConfig = { oidc: [], saml: null };

  beforeAll(async () => {
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {}, config: { sso } });
    web = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    idp = await startOidcProvider({
      clients: [
        {
          clientId: 'atrium',
          clientSecret: 'atrium-secret',
          redirectUris: [`${web.url}/auth/oidc/uni/callback`],
          postLogoutRedirectUris: [`${web.url}/login?reason=signed-out`],
        },
      ],
    });
    sso.oidc.push({
      id: 'uni',
      displayName: 'University account',
      issuer: idp.issuer,
      clientId: 'atrium',
      clientSecret: 'atrium-secret',
      scopes: 'openid profile email groups',
      usernameClaim: 'preferred_username',
      groupsClaims: ['groups'],
      useUserInfo: false,
      roleMap: [['staff', 'staff']],
      allowedGroups: ['atrium-users'],
      linkByUsername: true,
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await idp?.close();
    await runtime?.close();
  });
  afterEach(() => {
    // The provider's own pages are not ours to judge; Atrium's must log nothing.
    expect(errors.filter((error) => !error.includes(idp.issuer))).toEqual([]);
  });

  it('signs a student in through the provider’s own login page and lands in the chat', async () => {
    await openPage(page, `${web.url}/login`);
    await page.getByRole('link', { name: 'Sign in with University account' }).click();

    // The provider's page, not Atrium's.
    await page.getByRole('heading', { name: 'University sign-in' }).waitFor();
    expect(new URL(page.url()).origin).toBe(idp.issuer);
    await page.getByLabel('Username').fill(oidcTestAccounts.alice.preferred_username);
    await page.getByLabel('Password').fill(oidcTestAccounts.alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'How can Atrium help?' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/chat');
    await page.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
    const user = await runtime.orm.em.fork().findOneOrFail(User, { username: 'alice' });
    expect(user).toMatchObject({ authSource: 'oidc', displayName: 'Alice Student' });
  });

  it('tells someone outside the allowed groups why they were not signed in', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const outsider = await context.newPage();
    try {
      await openPage(outsider, `${web.url}/login`);
      await outsider.getByRole('link', { name: 'Sign in with University account' }).click();
      await outsider.getByLabel('Username').fill(oidcTestAccounts.mallory.preferred_username);
      await outsider.getByLabel('Password').fill(oidcTestAccounts.mallory.password);
      await outsider.getByRole('button', { name: 'Sign in' }).click();
      await outsider.getByText('Your university account is not permitted to use this service.').waitFor();
      expect(new URL(outsider.url()).pathname).toBe('/login');
      expect(await runtime.orm.em.fork().count(User, { username: 'mallory' })).toBe(0);
    } finally {
      await context.close();
    }
  });
});
