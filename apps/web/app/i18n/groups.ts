/**
 * The web app's strings come in groups, a chunk per group and language, so a page loads the
 * strings it shows and not every page's: the core (the chat and the header) on every page, the
 * others with the pages that need them. Decided by the path, so the server's preload, the
 * browser's first load and a navigation's load (`clientLoader` of those routes) agree.
 */
export const stringGroups = ['core', 'account', 'home', 'styles'] as const;
export type StringGroup = (typeof stringGroups)[number];

const accountPages = /^\/(account|account-deleted|login|register)(\/|$)/;

/** The groups a page at `pathname` shows, the core first. */
export function pageStringGroups(pathname: string): StringGroup[] {
  if (pathname === '/') return ['core', 'home'];
  if (accountPages.test(pathname)) return ['core', 'account'];
  if (pathname === '/styles') return ['core', 'styles'];
  return ['core'];
}
