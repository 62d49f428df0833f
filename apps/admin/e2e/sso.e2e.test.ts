import type { SsoConfig } from '@atrium/auth';
import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { Identity, User } from '@atrium/db';
import { collectPageErrors, launchBrowser, openPage } from '@atrium/testing/browser';
import { samlTestUsers, startSamlIdp, type SamlTestIdp } from '@atrium/testing/saml-idp';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../server';
import { migratedPgliteTarget } from '@atrium/db/testing';

/**
 * An administrator signs in to the admin app through the university's SAML IdP (Shibboleth in
 * production; here an IdP built in the test that signs real assertions), and sees the sign-in
 * method on their own user page.
 */
describe('single sign-on with SAML in the admin app', () => {
  let runtime: ApiRuntime;
  let admin: AppServer;
  let idp: SamlTestIdp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    idp = await startSamlIdp();
    const sso: SsoConfig = {
      oidc: [],
      saml: {
        id: 'saml',
        displayName: 'University login',
        idpMetadata: { url: idp.metadataUrl },
        idpEntityId: null,
        spEntityId: null,
        spPrivateKey: null,
        spCertificate: null,
        subjectAttribute: 'eduPersonPrincipalName',
        usernameAttribute: 'uid',
        roleMap: [
          ['staff', 'staff'],
          ['urn:mace:uni.test:atrium:admin', 'admin'],
        ],
        allowedGroups: ['member'],
        linkByUsername: false,
        clockSkewMs: 60_000,
      },
    };
    runtime = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {}, config: { sso } });
    admin = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' } });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await admin?.close();
    await idp?.close();
    await runtime?.close();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  const signInAt = async (target: Page, user: (typeof samlTestUsers)[keyof typeof samlTestUsers]) => {
    await openPage(target, `${admin.url}/login`);
    await target.getByRole('link', { name: 'Sign in with University login' }).click();
    await target.getByRole('heading', { name: 'University identity provider' }).waitFor();
    await target.getByLabel('Username').fill(user.username);
    await target.getByLabel('Password').fill(user.password);
    await target.getByRole('button', { name: 'Sign in' }).click();
  };

  it('refuses a student at the admin app, saying why, and creates no account', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const student = await context.newPage();
    try {
      await signInAt(student, samlTestUsers.ayse);
      await student.getByText('Only administrators can sign in here.').waitFor();
      expect(await runtime.orm.em.fork().count(User, { username: 'ayse.saml' })).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('signs an administrator in through the IdP and shows SAML among their sign-in methods', async () => {
    await signInAt(page, samlTestUsers.zeynep);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const user = await runtime.orm.em.fork().findOneOrFail(User, { username: 'zeynep.saml' });
    expect(user).toMatchObject({ role: 'admin', authSource: 'saml', displayName: 'Zeynep Yönetici' });
    expect(await runtime.orm.em.fork().count(Identity, { user, method: 'saml', subject: 'zeynep@uni.test' })).toBe(1);

    await openPage(page, `${admin.url}/users/${user.id}`);
    const identities = page.getByTestId('identities');
    await identities.waitFor();
    expect(await identities.getByRole('cell', { name: 'SAML' }).count()).toBe(1);
    expect(await identities.getByRole('cell', { name: 'zeynep@uni.test' }).count()).toBe(1);
  });
});
