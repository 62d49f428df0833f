import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); nothing is ever downloaded. */
export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A headless Chromium for end-to-end tests. Close it in `afterAll`. */
export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    ...options,
  });
}

/**
 * Opens one of our app pages and waits until React has hydrated it: before that, the server's
 * HTML is on screen but typing, drops and pastes reach no handler.
 */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await hydrated(page);
}

/** Reloads one of our app pages and waits until it has hydrated again (see `openPage`). */
export async function reloadPage(page: Page): Promise<void> {
  await page.reload();
  await hydrated(page);
}

const hydrated = (page: Page) => page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

/**
 * Collects what the page logs as an error (console.error, uncaught exceptions, hydration
 * mismatches): a test asserts the list is empty, as the unit tests do for console.error.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  return errors;
}
