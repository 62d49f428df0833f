import { commonCatalog, useT, type Catalog } from '@atrium/ui';
import { access } from './i18n/access';
import { apiKeys } from './i18n/apiKeys';
import { content } from './i18n/content';
import { jobs } from './i18n/jobs';
import { settings } from './i18n/settings';

const en = {
  admin: {
    meta: { title: '{{product}} admin' },
    tag: 'Admin',
    sections: {
      label: 'Admin sections',
      overview: 'Overview',
      users: 'Users',
      invites: 'Invites',
      models: 'Models',
      presets: 'Presets',
      limits: 'Limits',
      identity: 'Identity',
      analytics: 'Analytics',
      feedback: 'Feedback',
      summaries: 'Summaries',
      cache: 'Cache',
      jobs: 'Jobs',
      retention: 'Retention',
      apiKeys: 'API keys',
      settings: 'Settings',
    },
    overview: {
      title: 'Overview',
      lead: 'Everything about running {{product}} for your university, in one place.',
    },
    cards: {
      status: 'Service status',
      statusHint: 'Checked live from your browser',
      database: 'Database',
      databaseOk: 'Connected',
      databaseHint: 'As the server saw it when this page loaded',
      serverTime: 'Server time',
      serverTimeHint: 'Coordinated Universal Time (UTC)',
      assistant: 'Assistant name',
      assistantHint: 'What students and staff see',
    },
    next: {
      heading: 'Coming next',
      lead: 'These sections arrive with the next releases.',
      users: 'Roles, bans, per-user limits and permissions.',
      invites: 'Invite codes that open local accounts.',
      models: 'The model catalogue and per-role rate limits.',
      analytics: 'Usage, cost and feedback over time.',
    },
  },
};

const tr: Catalog<typeof en>['tr'] = {
  admin: {
    meta: { title: '{{product}} yönetim paneli' },
    tag: 'Yönetim',
    sections: {
      label: 'Yönetim bölümleri',
      overview: 'Genel bakış',
      users: 'Kullanıcılar',
      invites: 'Davetler',
      models: 'Modeller',
      presets: 'Hazır ayarlar',
      limits: 'Sınırlar',
      identity: 'Kimlik',
      analytics: 'Analizler',
      feedback: 'Geri bildirim',
      summaries: 'Özetler',
      cache: 'Önbellek',
      jobs: 'İşler',
      retention: 'Saklama',
      apiKeys: 'API anahtarları',
      settings: 'Ayarlar',
    },
    overview: {
      title: 'Genel bakış',
      lead: 'Üniversitenizde {{product}} hizmetini yürütmek için gereken her şey tek bir yerde.',
    },
    cards: {
      status: 'Hizmet durumu',
      statusHint: 'Tarayıcınızdan canlı olarak denetlenir',
      database: 'Veritabanı',
      databaseOk: 'Bağlı',
      databaseHint: 'Bu sayfa yüklenirken sunucunun gördüğü durum',
      serverTime: 'Sunucu saati',
      serverTimeHint: 'Eş Güdümlü Evrensel Zaman (UTC)',
      assistant: 'Asistanın adı',
      assistantHint: 'Öğrencilerin ve çalışanların gördüğü ad',
    },
    next: {
      heading: 'Sırada ne var',
      lead: 'Bu bölümler sonraki sürümlerle gelecek.',
      users: 'Roller, engellemeler, kullanıcıya özel sınırlar ve izinler.',
      invites: 'Yerel hesap açtıran davet kodları.',
      models: 'Model kataloğu ve role göre kullanım sınırları.',
      analytics: 'Zaman içindeki kullanım, maliyet ve geri bildirimler.',
    },
  },
};

/** This app's strings, with the shell's shared ones from @atrium/ui (both languages: admins are few). */
export const catalog = {
  en: { ...commonCatalog.en, ...en, ...content.en, ...access.en, ...jobs.en, ...apiKeys.en, ...settings.en },
  tr: { ...commonCatalog.tr, ...tr, ...content.tr, ...access.tr, ...jobs.tr, ...apiKeys.tr, ...settings.tr },
} satisfies Catalog<typeof en & typeof content.en & typeof access.en & typeof jobs.en & typeof apiKeys.en & typeof settings.en>;

/** The translate function for this app's components. */
export const useAdminT = () => useT<(typeof catalog)['en']>();
