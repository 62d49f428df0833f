import renderPage, { streamTimeout } from '@atrium/ui/entry.server';
import { loadAllCatalogs } from './i18n';

// Remix's streaming render with the response's CSP nonce on its inline scripts (shared by both
// apps), once every language's strings are in memory: a page renders in whichever it is asked.
export { streamTimeout };

export default async function handleRequest(...args: Parameters<typeof renderPage>): Promise<Response> {
  await loadAllCatalogs();
  return renderPage(...args);
}
