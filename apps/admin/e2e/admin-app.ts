import { createApiRuntime, type ApiRuntime, type ApiRuntimeOptions } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import type { IUser } from '@atrium/db';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAppServer } from '../server';

/** The admin app as a browser test drives it: the API on a fresh PGlite, the production build served, Chromium. */
export type AdminApp = {
  runtime: ApiRuntime;
  server: AppServer;
  browser: Browser;
  /**
   * A new administrator (`username`) and a desktop-sized English tab signed in as them, without
   * the sign-in page (a session straight from the database, its cookie set directly); its console
   * errors and uncaught exceptions collected in `pageErrors`.
   */
  adminPage(username?: string): Promise<{ admin: IUser; page: Page; pageErrors: string[]; context: BrowserContext }>;
  /** Closes the browser, the server and the API. */
  close(): Promise<void>;
};

/** `runtime`: options for the API on top of a migrated, seeded PGlite. */
export async function startAdminApp(runtime: Omit<ApiRuntimeOptions, 'target'> = {}): Promise<AdminApp> {
  // Whatever started is stopped again, in reverse, also when a later part fails to start.
  const started: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    const api = await createApiRuntime({ target: await migratedPgliteTarget(), migrate: true, seed: true, log: () => {}, ...runtime });
    started.push(() => api.close());
    const server = await createAppServer({ runtime: api, mode: 'production', port: 0, host: '127.0.0.1' });
    started.push(() => server.close());
    const browser = await launchBrowser();
    started.push(() => browser.close());
    return {
      runtime: api,
      server,
      browser,
      async adminPage(username = 'content-admin') {
        const em = api.orm.em.fork();
        const { user: admin } = await makeLocalUser(em, { role: 'admin', username });
        const { token } = await createSession(em, admin, { type: 'active_session' });
        const context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' }, viewport: { width: 1280, height: 900 } });
        await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
        const page = await context.newPage();
        return { admin, page, pageErrors: collectPageErrors(page), context };
      },
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
