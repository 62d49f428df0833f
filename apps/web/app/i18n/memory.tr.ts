import type { Messages } from '@atrium/ui';
import type { en } from './memory.en';

/** The Turkish side of `./memory.en.ts`, in the account group (`app/i18n/groups/account.tr.ts`): a page loads only its groups, in its language. */
export const tr: Messages<typeof en> = {
  memory: {
    metaTitle: 'Hafıza · {{product}}',
    title: 'Atrium sizinle ilgili neleri hatırlıyor',
    lead: 'Asistanın bilmesini istediğiniz bilgiler; örneğin size nasıl hitap edilmesini istediğiniz ya da hangi bölümde okuduğunuz. Etkin her bilgi, her sohbetin başında asistana verilir; bir bilgiyi paylaşmadan saklamak için kapatın.',
    add: {
      heading: 'Yeni bir şey hatırlat',
      submit: 'Hatırla',
      submitting: 'Kaydediliyor…',
    },
    fields: {
      key: 'Konu',
      keyHint: 'Kısa bir ad; örneğin “Tercih ettiğim ad” ya da “Bölüm”.',
      keyRequired: 'Neyin hatırlanacağına bir ad verin.',
      keyTaken: '“{{key}}” adında bir hafıza kaydınız zaten var. Onu düzenleyin ya da başka bir ad seçin.',
      value: 'Hatırlanacak bilgi',
      valueHint: 'Örneğin “Deniz” ya da “Fizik ikinci sınıf”.',
      valueRequired: 'Hatırlanacak bilgiyi yazın.',
      category: 'Kategori',
      categoryHint: 'İlgili bilgileri bir arada tutar. Harf, rakam, boşluk, - ya da _ kullanın.',
      categoryInvalid: 'Yalnızca harf, rakam, boşluk, - ya da _ kullanın.',
    },
    list: {
      heading: 'Hafızanız',
      empty: 'Atrium henüz sizinle ilgili hiçbir şey hatırlamıyor.',
      general: 'Genel',
      active: 'Etkin',
      inactive: 'Kapalı',
      inferred: 'Sohbetlerinizden öğrenildi',
      activeLabel: '“{{key}}” bilgisini sohbetlerde kullan',
      edit: 'Düzenle',
      editLabel: '“{{key}}” bilgisini düzenle',
      delete: 'Sil',
      deleteLabel: '“{{key}}” bilgisini sil',
      updated: 'Son güncelleme',
    },
    edit: {
      heading: '“{{key}}” bilgisini düzenle',
      save: 'Değişiklikleri kaydet',
      cancel: 'Vazgeç',
    },
    done: {
      created: '“{{key}}” artık hatırlanacak.',
      updated: '“{{key}}” kaydedildi.',
      activated: '“{{key}}” yeniden asistana veriliyor.',
      deactivated: '“{{key}}” saklanıyor ama artık asistana verilmiyor.',
      deleted: '“{{key}}” unutuldu.',
      gone: 'Bu hafıza kaydı artık yok.',
      kept: '“{{key}}” saklandı; bundan sonra asistana verilecek.',
      discarded: '“{{key}}” önerisi silindi; bir daha önerilmeyecek.',
      autoKeepOn: 'Asistanın sizinle ilgili öğrendikleri artık hemen saklanacak.',
      autoKeepOff: 'Asistanın sizinle ilgili öğrendikleri artık onayınızı bekleyecek.',
    },
    failed: 'Kaydedilemedi. Lütfen yeniden deneyin.',
    suggestions: {
      heading: 'Asistanın önerileri',
      lead: 'Asistanın son sohbetlerinizde fark ettiği bilgiler. Siz saklamadıkça hiçbiri kullanılmaz; saklamadan önce düzenleyebilir ya da silebilirsiniz.',
      keep: 'Sakla',
      keepLabel: '“{{key}}” bilgisini sakla',
      keepEdited: 'Bu değişikliklerle sakla',
      discard: 'Sil',
      discardLabel: '“{{key}}” önerisini sil',
    },
    learning: {
      heading: 'Sohbetlerinizden öğrenme',
      lead: 'Bir sohbet sessizleştikten sonra asistan, hatırlamasının işe yarayacağı bilgileri (örneğin bölümünüzü) önerebilir. Sağlık, din, siyaset, cinsel yönelim ya da etnik kökenle ilgili hiçbir şey önermez.',
      autoKeep: 'Önerileri bana sormadan sakla',
    },
  },
};
