import { createApiRuntime, type ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { migratedPgliteTarget } from '@atrium/db/testing';
import { collectPageErrors, launchBrowser } from '@atrium/testing/browser';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { AppServer } from '@atrium/ui/server';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { createAppServer } from '../server';

/** The web app as a browser test drives it: the stub upstream, the API on a fresh PGlite, the production build served, Chromium. */
export type WebApp = {
  stub: StubUpstream;
  runtime: ApiRuntime;
  server: AppServer;
  browser: Browser;
  /**
   * A tab signed in as `user` without the sign-in page (a session straight from the database, its
   * cookie set directly), in an English browser profile of its own; its console errors and
   * uncaught exceptions collected in `pageErrors`.
   */
  signedInPage(user: Parameters<typeof createSession>[1], options?: BrowserContextOptions): Promise<{ page: Page; pageErrors: string[]; context: BrowserContext }>;
  /** Closes the browser (and so every tab's profile), the server, the API and the stub. */
  close(): Promise<void>;
};

export async function startWebApp(options: {
  stub?: Parameters<typeof startStubUpstream>[0];
  /** Runs on the migrated, seeded database before the server starts (catalogue entries the pages read at start). */
  beforeServer?: (runtime: ApiRuntime) => Promise<void>;
} = {}): Promise<WebApp> {
  // Whatever started is stopped again, in reverse, also when a later part fails to start.
  const started: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    const stub = await startStubUpstream({ demo: true, ...options.stub });
    started.push(() => stub.close());
    const runtime = await createApiRuntime({
      target: await migratedPgliteTarget(),
      migrate: true,
      seed: true,
      log: () => {},
      config: { providers: { demo: { baseURL: stub.url } } },
    });
    started.push(() => runtime.close());
    await options.beforeServer?.(runtime);
    const server = await createAppServer({ runtime, mode: 'production', port: 0, host: '127.0.0.1' });
    started.push(() => server.close());
    // Closing the browser closes every profile the tabs were opened in.
    const browser = await launchBrowser();
    started.push(() => browser.close());
    return {
      stub,
      runtime,
      server,
      browser,
      async signedInPage(user, contextOptions = {}) {
        const { token } = await createSession(runtime.orm.em.fork(), user, { type: 'active_session' });
        const context = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'accept-language': 'en-GB,en;q=0.9' }, ...contextOptions });
        await context.addCookies([{ name: 'atrium_session', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
        const page = await context.newPage();
        return { page, pageErrors: collectPageErrors(page), context };
      },
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
