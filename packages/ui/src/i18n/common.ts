import { accessEn, accessTr } from './access';
import type { Catalog } from './messages';

const en = {
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

const tr: Catalog<typeof en>['tr'] = {
  ...accessTr,
  shell: {
    skipToContent: 'Ana içeriğe geç',
    home: '{{product}} ana sayfası',
    primaryNav: 'Ana menü',
    footer: '{{product}}, üniversite tarafından öğrencileri ve çalışanları için işletilmektedir.',
    soon: 'Yakında',
  },
  language: {
    label: 'Dil',
  },
  theme: {
    switch: 'Tema: {{current}}. {{next}} temaya geç',
    system: 'sistem',
    light: 'açık',
    dark: 'koyu',
  },
  health: {
    label: 'Hizmet durumu',
    checking: 'Denetleniyor…',
    ok: 'Çalışıyor',
    down: 'Erişilemiyor',
    checkedAt: 'Son denetim: {{time}}',
  },
  markdown: {
    code: 'Kod',
    copyCode: 'Kodu kopyala',
    image: 'Görsel: {{alt}}',
    imageUntitled: 'Görsel',
  },
  copy: {
    copy: 'Kopyala',
    copied: 'Kopyalandı',
    failed: 'Kopyalanamadı',
  },
  error: {
    title: 'Bir şeyler ters gitti',
    notFoundTitle: 'Sayfa bulunamadı',
    notFound: 'Aradığınız sayfayı bulamadık.',
    forbiddenTitle: 'İstek reddedildi',
    forbidden: 'Bu form başka bir web sitesinden gönderildi, bu yüzden hiçbir şey değiştirilmedi. Sayfayı burada açıp yeniden deneyin.',
    unexpected: 'Beklenmeyen bir hata bu sayfanın yüklenmesini engelledi. Lütfen birazdan yeniden deneyin.',
    backHome: 'Ana sayfaya dön',
  },
};

/** Strings the shared shell and components use; each app adds its own catalog on top. */
export const commonCatalog = { en, tr } satisfies Catalog<typeof en>;
export type CommonMessages = typeof en;
