import type { Messages } from '@atrium/ui';
import type { en } from './styles.en';

/** The Turkish side of `./styles.en.ts`. */
export const tr: Messages<typeof en> = {
  styles: {
    nav: 'Üsluplar',
    metaTitle: 'Üsluplarım · {{product}}',
    heading: 'Üsluplarım',
    lead: 'Üslup, asistanın nasıl yanıt vereceğini belirler: tonunu, biçimini ve odağını. Bir sohbetin Üslup menüsünden seçin.',
    backToChat: 'Sohbete dön',
    new: 'Yeni üslup',
    empty: 'Henüz bir üslubunuz yok. Yanıtları çalışma biçiminize uydurmak için bir tane oluşturun.',
    mine: 'Üsluplarınız',
    global: 'Üniversitenin hazır ayarları',
    globalLead: 'Herkes kullanabilir; yöneticiler tarafından düzenlenir.',
    edit: 'Düzenle',
    delete: 'Sil',
    editing: '“{{name}}” üslubunu düzenle',
    creating: 'Yeni üslup',
    saved: '“{{name}}” kaydedildi.',
    deleted: '“{{name}}” silindi.',
    anyModel: 'Sohbetin modeli',
    fields: {
      name: 'Ad',
      description: 'Açıklama',
      descriptionHelp: 'Kendiniz için kısa bir not (isteğe bağlı).',
      instructions: 'Talimatlar',
      instructionsHelp: 'Asistanın her yanıtta ne yapması gerektiğini, bir kişiye anlatır gibi yazın.',
      instructionsPlaceholder: 'Sabırlı bir öğretmen gibi yanıtla. Bana {{placeholder}} diye hitap et. Kısa paragraflar kullan ve anladığımı sınayan bir soruyla bitir.',
      temperature: 'Sıcaklık',
      temperatureHelp: '0 (odaklı, tutarlı) ile 2 (çeşitli, yaratıcı) arası. Modelin varsayılanı için boş bırakın.',
      maxTokens: 'En uzun yanıt (jeton)',
      maxTokensHelp: 'Bir jeton yaklaşık ¾ kelimedir. Varsayılan için boş bırakın.',
      model: 'Model',
      modelHelp: 'Bu üslubu kullanan bir sohbetin kendi modeli yoksa kullanılır.',
    },
    variables: {
      heading: 'Talimatlarda kullanabileceğiniz yer tutucular',
      lead: 'Çift süslü parantezle yazın; sohbet ederken doldurulurlar.',
      userDisplayName: 'adınız',
      userUsername: 'kullanıcı adınız',
      date: 'bugünün tarihi (YYYY-AA-GG)',
      identityDisplayName: 'asistanın adı',
      identityDeveloperName: 'asistanı işleten kurum',
      identityProductFamily: 'asistanın ürün ailesi',
    },
    actions: {
      create: 'Üslubu oluştur',
      save: 'Değişiklikleri kaydet',
      cancel: 'Vazgeç',
    },
    remove: {
      title: 'Bu üslup silinsin mi?',
      body: '“{{name}}” silinecek. Onu kullanan sohbetler varsayılan üsluba döner.',
      confirm: 'Üslubu sil',
    },
    errors: {
      generic: 'Üslup kaydedilemedi. Lütfen alanları denetleyip yeniden deneyin.',
    },
  },
};
