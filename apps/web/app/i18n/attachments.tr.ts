import type { Messages } from '@atrium/ui';
import type { en } from './attachments.en';

/** The Turkish side of `./attachments.en.ts`, in the core group (`app/i18n/groups/core.tr.ts`): a page loads only its groups, in its language. */
export const tr: Messages<typeof en> = {
  attachments: {
    attach: 'Dosya ekle',
    attachHint: 'PDF, Word, metin, Markdown, CSV, kod ya da görsel. Dosyaları buraya bırakabilir ya da bir görsel yapıştırabilirsiniz.',
    dropHere: 'Eklemek için dosyaları bırakın',
    remove: '{{name}} dosyasını kaldır',
    uploading: 'Yükleniyor… %{{percent}}',
    processing: 'Okunuyor…',
    ready: 'Hazır',
    failed: 'Okunamadı',
    download: '{{name}} dosyasını indir',
    listLabel: 'Eklenen dosyalar',
    image: 'Görsel: {{name}}',
    generated: 'Üretilen görsel',
    tooMany: 'Bir mesajla en fazla {{max}} dosya gönderilebilir.',
    waitForUploads: 'Dosyalarınız yüklenip okunana kadar bekleyin.',
    storage: 'Dosyalar: {{quota}} alanın {{used}} kadarı kullanıldı',
    storageUnlimited: 'Dosyalar: {{used}} kullanıldı',
    failure: {
      'no-text-layer': 'Bu PDF’te metin katmanı yok (taranmış görünüyor), bu yüzden metni okunamıyor.',
      empty: 'Bu belgede metin yok.',
      unreadable: 'Bu belge okunamadı.',
    },
    error: {
      'too-large': '“{{name}}” çok büyük: bu tür dosyalar için en fazla {{max}}.',
      'wrong-type': '“{{name}}” eklenemez: yalnızca PDF, Word, metin, Markdown, CSV ve kod dosyaları ile PNG, JPEG, WebP ya da GIF görseller.',
      'over-quota': '“{{name}}” dosya alanınıza sığmıyor ({{quota}} alanın {{used}} kadarı dolu). Yer açmak için dosyalı eski sohbetleri silin.',
      'not-permitted': 'Bu tür dosya eklemek (“{{name}}”) hesabınızda kapalı.',
      empty: '“{{name}}” boş.',
      failed: '“{{name}}” yüklenemedi. Yeniden deneyin.',
    },
  },
};
