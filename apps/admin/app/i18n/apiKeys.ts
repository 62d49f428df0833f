import type { Catalog } from '@atrium/ui';

/** The admin API keys page's strings, under `apiKeys.*`; merged into the app's catalog in `app/i18n.ts`. */
const en = {
  apiKeys: {
    title: 'API keys',
    lead: 'Personal keys that let users’ scripts and tools call the OpenAI-compatible API (/v1) and the typed client as them, under their own limits.',
    settings: {
      heading: 'API settings',
      roles: 'Roles that may create keys',
      rolesHint: 'A user’s own “Create personal API keys” permission (on their page) beats their role. Taking the right away stops existing keys at once.',
      roleNames: { student: 'Students', staff: 'Staff', admin: 'Administrators' },
      applyIdentity: 'Apply the AI identity to API calls',
      applyIdentityHint: 'Off: tools get the model with only their own system message.',
      storeConversations: 'Keep API calls as conversations',
      storeConversationsHint: 'On: each completion is saved to its user’s chat history. Off: only usage is recorded.',
      save: 'Save settings',
      saved: 'Settings saved.',
    },
    list: {
      heading: 'Keys',
      showActive: 'Active keys only',
      showAll: 'All keys',
      empty: 'No keys.',
      owner: 'Owner',
      key: 'Key',
      created: 'Created',
      expires: 'Expires',
      lastUsed: 'Last used',
      state: 'State',
      never: 'Never',
      noExpiry: 'No expiry',
      states: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
      revoke: 'Revoke',
      revokeLabel: 'Revoke {{owner}}’s key “{{name}}”',
      revokeQuestion: 'Revoke this key? Programs using it stop working at once.',
      confirm: 'Revoke key',
      revoked: 'The key was revoked.',
      total: '{{count}} keys',
    },
  },
};

const tr: Catalog<typeof en>['tr'] = {
  apiKeys: {
    title: 'API anahtarları',
    lead: 'Kullanıcıların betiklerinin ve araçlarının OpenAI uyumlu API’yi (/v1) ve türlendirilmiş istemciyi kendi adlarına, kendi sınırları içinde çağırmasını sağlayan kişisel anahtarlar.',
    settings: {
      heading: 'API ayarları',
      roles: 'Anahtar oluşturabilecek roller',
      rolesHint: 'Kullanıcının kendi “Kişisel API anahtarı oluşturma” izni (kendi sayfasında) rolünden önce gelir. Hakkı geri almak mevcut anahtarları hemen durdurur.',
      roleNames: { student: 'Öğrenciler', staff: 'Çalışanlar', admin: 'Yöneticiler' },
      applyIdentity: 'API çağrılarına yapay zekâ kimliğini uygula',
      applyIdentityHint: 'Kapalı: araçlar modeli yalnızca kendi sistem iletileriyle kullanır.',
      storeConversations: 'API çağrılarını sohbet olarak sakla',
      storeConversationsHint: 'Açık: her yanıt kullanıcısının sohbet geçmişine kaydedilir. Kapalı: yalnızca kullanım kaydedilir.',
      save: 'Ayarları kaydet',
      saved: 'Ayarlar kaydedildi.',
    },
    list: {
      heading: 'Anahtarlar',
      showActive: 'Yalnızca etkin anahtarlar',
      showAll: 'Tüm anahtarlar',
      empty: 'Anahtar yok.',
      owner: 'Sahibi',
      key: 'Anahtar',
      created: 'Oluşturulma',
      expires: 'Bitiş',
      lastUsed: 'Son kullanım',
      state: 'Durum',
      never: 'Hiç',
      noExpiry: 'Süresiz',
      states: { active: 'Etkin', expired: 'Süresi doldu', revoked: 'İptal edildi' },
      revoke: 'İptal et',
      revokeLabel: '{{owner}} kullanıcısının “{{name}}” anahtarını iptal et',
      revokeQuestion: 'Bu anahtar iptal edilsin mi? Onu kullanan programlar hemen çalışmaz olur.',
      confirm: 'Anahtarı iptal et',
      revoked: 'Anahtar iptal edildi.',
      total: '{{count}} anahtar',
    },
  },
};

export const apiKeys = { en, tr } satisfies Catalog<typeof en>;
