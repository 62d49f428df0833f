import { accessEn } from './access.en';

/**
 * The English strings the shared shell and components use (the Turkish ones are in
 * `./common.tr.ts`): a module per language, so a browser bundles only the language it shows.
 * An app puts them at the top of its own catalog, in each language it loads (`@atrium/ui/strings/en`).
 */
export const commonEn = {
  ...accessEn,
  shell: {
    skipToContent: 'Skip to main content',
    home: '{{product}} home',
    primaryNav: 'Main',
    footer: '{{product}} is run by the university for its students and staff.',
    soon: 'Soon',
  },
  language: {
    label: 'Language',
  },
  theme: {
    switch: 'Theme: {{current}}. Switch to {{next}}',
    system: 'system',
    light: 'light',
    dark: 'dark',
  },
  health: {
    label: 'Service status',
    checking: 'Checking…',
    ok: 'Operational',
    down: 'Unavailable',
    checkedAt: 'Checked at {{time}}',
  },
  markdown: {
    code: 'Code',
    copyCode: 'Copy code',
    image: 'Image: {{alt}}',
    imageUntitled: 'Image',
  },
  copy: {
    copy: 'Copy',
    copied: 'Copied',
    failed: 'Could not copy',
  },
  error: {
    title: 'Something went wrong',
    notFoundTitle: 'Page not found',
    notFound: 'We could not find the page you asked for.',
    forbiddenTitle: 'Request refused',
    forbidden: 'This form was sent from another website, so nothing was changed. Open the page here and try again.',
    unexpected: 'An unexpected error stopped this page from loading. Please try again in a moment.',
    backHome: 'Back to the home page',
  },
};

export type CommonMessages = typeof commonEn;
