import { accessTr } from './access.tr';
import type { CommonMessages } from './common.en';
import type { Messages } from './messages';

/** The Turkish side of `./common.en.ts`. */
export const commonTr: Messages<CommonMessages> = {
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
