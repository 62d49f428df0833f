import type { Messages } from '@atrium/ui';
import type { en } from './usage.en';

/** The Turkish side of `./usage.en.ts`, in the account group (`app/i18n/groups/account.tr.ts`): a page loads only its groups, in its language. */
export const tr: Messages<typeof en> = {
  usage: {
    menu: 'Kullanım',
    metaTitle: 'Kullanımım · {{product}}',
    title: 'Kullanımım',
    lead: 'Bu ayki kendi istekleriniz ve tokenlarınız, gün gün ve model model, ayrıca limitlerinizden kalanlar. Burada başka kimsenin kullanımı gösterilmez.',
    month: 'Ay',
    previous: 'Önceki ay',
    next: 'Sonraki ay',
    limits: {
      title: 'Kalanlar',
      model: 'Model',
      today: 'Bugünkü istekler',
      month: 'Bu ayki tokenlar',
      unlimited: 'Limit yok',
      left: '{{max}} içinden {{remaining}} kaldı',
      resets: 'Sıfırlanma: {{when}}',
      none: 'Kullanabileceğiniz bir model yok.',
    },
    chart: {
      title: 'Günlük tokenlar',
      description: '{{month}} ayında her gün kullanılan tokenlar, modele göre üst üste. Aşağıdaki tablo aynı sayıları içerir.',
      empty: '{{month}} ayında henüz kullanım yok.',
      bar: '{{day}}: {{tokens}} token, {{requests}} istek',
      axis: 'Token',
    },
    table: {
      title: 'Gün ve modele göre',
      day: 'Gün',
      model: 'Model',
      requests: 'İstekler',
      cacheHits: 'Önbellekten',
      tokens: 'Token',
      cost: 'Maliyet',
      total: 'Ay toplamı',
    },
  },
};
