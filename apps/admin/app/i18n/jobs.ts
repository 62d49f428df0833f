import type { Catalog } from '@atrium/ui';

/**
 * The operations strings: the background jobs page (`jobs.*`) and the estimated share of cost in
 * analytics (`estimates.*`); merged into the app's catalog in `app/i18n.ts`.
 */
const en = {
  jobs: {
    title: 'Background jobs',
    lead: 'Work done after an answer or on a schedule: conversation titles, summaries, cached answers, the hourly clean-up, and more. Jobs survive restarts, are retried with growing pauses, and each runs once whichever server picks it up.',
    totals: {
      queued: 'Waiting',
      queuedHint: 'New, or waiting to be tried again',
      running: 'Running',
      runningHint: 'Being worked on right now',
      failed: 'Failed',
      failedHint: 'Out of retries; retry them below once the cause is fixed',
      completed: 'Done',
      completedHint: 'Finished in the last 7 days',
    },
    byKind: 'By kind',
    kind: 'Kind',
    kinds: {
      chat_title: 'Conversation titles',
      chat_summary: 'Conversation summaries',
      cache_store: 'Storing cached answers',
      cache_hit: 'Counting cache hits',
      housekeeping_sweep: 'Hourly clean-up',
    },
    status: 'Status',
    statuses: {
      queued: 'Waiting',
      running: 'Running',
      failed: 'Failed',
      completed: 'Done',
      cancelled: 'Cancelled',
    },
    show: 'Show',
    allKinds: 'All kinds',
    list: '{{status}} jobs',
    empty: 'No jobs here.',
    created: 'Created',
    attempts: 'Attempts',
    attemptsValue: '{{attempts}} of {{max}}',
    started: 'Started',
    finished: 'Finished',
    notYet: '—',
    waitsUntil: 'Not before {{time}}',
    reason: 'Why it failed',
    noReason: 'No reason recorded.',
    retry: 'Retry',
    retryLabel: 'Retry job {{id}}',
    retried: 'The job is waiting to run again.',
    older: 'Older jobs',
    newest: 'Newest jobs',
  },
  estimates: {
    month:
      'In {{month}}, {{cost}} of the cost ({{share}}) is our estimate: answers that were stopped, cut off by the provider or left by a server that stopped, before the provider counted them.',
  },
};

const tr: typeof en = {
  jobs: {
    title: 'Arka plan işleri',
    lead: 'Bir yanıttan sonra ya da bir takvime göre yapılan işler: sohbet başlıkları, özetler, önbelleğe alınan yanıtlar, saatlik temizlik ve daha fazlası. İşler yeniden başlatmalardan etkilenmez, giderek uzayan aralarla yeniden denenir ve hangi sunucu alırsa alsın her biri bir kez çalışır.',
    totals: {
      queued: 'Bekleyen',
      queuedHint: 'Yeni ya da yeniden denenmeyi bekleyen',
      running: 'Çalışan',
      runningHint: 'Şu anda üzerinde çalışılan',
      failed: 'Başarısız',
      failedHint: 'Yeniden deneme hakkı bitti; nedeni giderince aşağıdan yeniden deneyin',
      completed: 'Tamamlanan',
      completedHint: 'Son 7 günde biten',
    },
    byKind: 'Türe göre',
    kind: 'Tür',
    kinds: {
      chat_title: 'Sohbet başlıkları',
      chat_summary: 'Sohbet özetleri',
      cache_store: 'Yanıtları önbelleğe alma',
      cache_hit: 'Önbellek isabetlerini sayma',
      housekeeping_sweep: 'Saatlik temizlik',
    },
    status: 'Durum',
    statuses: {
      queued: 'Bekliyor',
      running: 'Çalışıyor',
      failed: 'Başarısız',
      completed: 'Tamamlandı',
      cancelled: 'İptal edildi',
    },
    show: 'Göster',
    allKinds: 'Tüm türler',
    list: '{{status}} işler',
    empty: 'Burada iş yok.',
    created: 'Oluşturulma',
    attempts: 'Deneme',
    attemptsValue: '{{attempts}} / {{max}}',
    started: 'Başlama',
    finished: 'Bitiş',
    notYet: '—',
    waitsUntil: '{{time}} öncesinde değil',
    reason: 'Neden başarısız oldu',
    noReason: 'Bir neden kaydedilmedi.',
    retry: 'Yeniden dene',
    retryLabel: '{{id}} işini yeniden dene',
    retried: 'İş yeniden çalışmayı bekliyor.',
    older: 'Daha eski işler',
    newest: 'En yeni işler',
  },
  estimates: {
    month:
      '{{month}} ayında maliyetin {{cost}} kadarı ({{share}}) bizim tahminimizdir: sağlayıcı saymadan önce durdurulan, sağlayıcı tarafından kesilen ya da duran bir sunucuda kalan yanıtlar.',
  },
};

export const jobs = { en, tr } satisfies Catalog<typeof en>;
