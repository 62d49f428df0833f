import { isLanguage } from '@atrium/ui';
import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { loadCatalog } from './i18n';
import { pageStringGroups } from './i18n/groups';

// Remix's default browser entry, after the page's strings (its groups, in the language the server
// rendered it in) have arrived: the first render must show exactly the server's text.
const lang = document.documentElement.lang;
// Should the chunk fail, hydrate anyway: the page then fetches it again and re-renders.
void loadCatalog(isLanguage(lang) ? lang : 'en', pageStringGroups(window.location.pathname))
  .catch(() => undefined)
  .then(() =>
    startTransition(() => {
      hydrateRoot(
        document,
        <StrictMode>
          <RemixBrowser />
        </StrictMode>,
      );
    }),
  );
