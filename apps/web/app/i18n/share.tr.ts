import type { Messages } from '@atrium/ui';
import type { en } from './share.en';

/** The Turkish side of `./share.en.ts`, in the core group (`app/i18n/groups/core.tr.ts`): a page loads only its groups, in its language. */
export const tr: Messages<typeof en> = {
  share: {
    open: 'Sohbeti paylaş',
    title: 'Salt okunur bir kopya paylaşın',
    lead: 'Bağlantı bu sohbeti şu anki hâliyle (görünen sürümlerle) gösterir. Sonraki mesajlar eklenmez. Bağlantıyı istediğiniz zaman iptal edebilirsiniz.',
    membersOnly: 'Yalnızca oturum açmış üniversite üyeleri açabilir.',
    public: 'Bağlantıya sahip herkes, oturum açmadan da',
    create: 'Bağlantı oluştur',
    creating: 'Oluşturuluyor…',
    linkLabel: 'Paylaşım bağlantısı',
    copy: 'Bağlantıyı kopyala',
    links: 'Bu sohbetin bağlantıları',
    none: 'Henüz bağlantı yok.',
    revoke: 'İptal et',
    revoked: 'İptal edildi',
    publicBadge: 'Herkese açık',
    createdAt: '{{date}} tarihinde oluşturuldu · {{count}} mesaj',
    failed: 'Bağlantı oluşturulamadı.',
    close: 'Kapat',
    page: {
      metaTitle: '{{title}} · paylaşılan sohbet · {{product}}',
      badge: 'Paylaşılan sohbet · salt okunur',
      sharedAt: '{{date}} tarihinde paylaşıldı',
      you: 'Soru',
      assistant: 'Yanıt',
      model: 'Yanıtlayan: {{model}}',
      notFound: 'Bu bağlantı yok ya da iptal edildi.',
      notFoundLead: 'Paylaşan kişiden yeni bir bağlantı isteyin.',
      start: 'Kendi sohbetinizi başlatın',
    },
  },
};
