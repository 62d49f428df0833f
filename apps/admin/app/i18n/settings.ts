import type { Catalog } from '@atrium/ui';

/** The chat settings page (`settings.*`); merged into the app's catalog in `app/i18n.ts`. */
const en = {
  settings: {
    title: 'Chat settings',
    lead: 'How the chat behaves for everyone: what students may share and what each answer shows.',
    sharing: {
      title: 'Sharing',
      description: 'Students share a read-only copy of a chat with a link. Links always work for signed-in members of the university and can be revoked by whoever made them.',
      allowPublic: 'Allow public links',
      allowPublicHelp: 'Lets a student make a link that opens without signing in. Turning this off makes every existing public link ask for a sign-in again.',
      save: 'Save sharing settings',
      saved: 'Sharing settings saved.',
    },
    answers: {
      title: 'Under each answer',
      description: 'Every answer names the model and style it used and says when it was stopped, answered from the cache, or counted by estimate. Tokens and cost are shown only to the roles chosen here; a user’s own permission (on their page) beats their role.',
      roles: 'Who sees tokens and cost',
      rolesHint: 'Off for students unless you tick them. The server leaves the numbers out for everyone else, and their usage page shows tokens without cost.',
      roleNames: { student: 'Students', staff: 'Staff', admin: 'Administrators' },
      save: 'Save answer settings',
      saved: 'Answer settings saved.',
    },
    learning: {
      title: 'Memory that learns',
      description: 'After a conversation goes quiet, the assistant may suggest facts about its user to remember (what they study, how they like answers). A suggestion is used only once the user keeps it, unless they turn on auto-keep; the call is counted against their limits like a message. Nothing about health, religion, politics, sexuality or ethnicity is ever suggested.',
      roles: 'Learn about',
      rolesHint: 'Off for everyone unless you tick a role.',
      save: 'Save memory settings',
      saved: 'Memory settings saved.',
    },
    unlocks: {
      title: 'Unlock keys',
      description: 'A model or a global preset with an unlock key is seen and used only by people holding that key. Give keys on a user’s page; set a model’s or preset’s key in its form.',
      empty: 'No unlock keys are in use.',
      key: 'Key',
      opens: 'Opens',
      holders: 'Held by',
      nothing: 'Nothing yet',
      nobody: 'Nobody',
      more: 'and {{count}} more',
    },
    saving: 'Saving…',
  },
};

const tr: Catalog<typeof en>['tr'] = {
  settings: {
    title: 'Sohbet ayarları',
    lead: 'Sohbetin herkes için nasıl davrandığı: öğrencilerin neyi paylaşabildiği ve her yanıtın ne gösterdiği.',
    sharing: {
      title: 'Paylaşım',
      description: 'Öğrenciler bir sohbetin salt okunur kopyasını bir bağlantıyla paylaşır. Bağlantılar oturum açmış üniversite üyeleri için her zaman çalışır ve oluşturan kişi tarafından iptal edilebilir.',
      allowPublic: 'Herkese açık bağlantılara izin ver',
      allowPublicHelp: 'Öğrencinin oturum açmadan açılan bir bağlantı oluşturmasına izin verir. Kapatıldığında mevcut herkese açık bağlantılar yeniden oturum açmayı ister.',
      save: 'Paylaşım ayarlarını kaydet',
      saved: 'Paylaşım ayarları kaydedildi.',
    },
    answers: {
      title: 'Her yanıtın altında',
      description: 'Her yanıt kullandığı modeli ve üslubu gösterir; durdurulduğunda, önbellekten yanıtlandığında ya da tahminle sayıldığında bunu belirtir. Token ve maliyet yalnızca burada seçilen rollere gösterilir; kullanıcının kendi izni (kullanıcı sayfasında) rolünden önce gelir.',
      roles: 'Token ve maliyeti kimler görür',
      rolesHint: 'İşaretlemediğiniz sürece öğrenciler için kapalıdır. Sunucu bu sayıları diğer herkese göndermez; onların kullanım sayfası maliyeti göstermeden tokenları gösterir.',
      roleNames: { student: 'Öğrenciler', staff: 'Çalışanlar', admin: 'Yöneticiler' },
      save: 'Yanıt ayarlarını kaydet',
      saved: 'Yanıt ayarları kaydedildi.',
    },
    learning: {
      title: 'Öğrenen hafıza',
      description: 'Bir sohbet sessizleştikten sonra asistan, kullanıcısıyla ilgili hatırlanacak bilgiler önerebilir (bölümü, yanıtları nasıl sevdiği). Kullanıcı otomatik saklamayı açmadıkça bir öneri ancak kullanıcı onu sakladığında kullanılır; bu çağrı bir mesaj gibi kullanıcının sınırlarından düşülür. Sağlık, din, siyaset, cinsel yönelim ya da etnik kökenle ilgili hiçbir şey önerilmez.',
      roles: 'Kimler hakkında öğrensin',
      rolesHint: 'Bir rolü işaretlemediğiniz sürece herkes için kapalıdır.',
      save: 'Hafıza ayarlarını kaydet',
      saved: 'Hafıza ayarları kaydedildi.',
    },
    unlocks: {
      title: 'Kilit anahtarları',
      description: 'Kilit anahtarı olan bir modeli ya da genel hazır ayarı yalnızca o anahtara sahip kişiler görür ve kullanır. Anahtarları kullanıcı sayfasından verin; modelin ya da hazır ayarın anahtarını kendi formunda belirleyin.',
      empty: 'Kullanılan kilit anahtarı yok.',
      key: 'Anahtar',
      opens: 'Açtıkları',
      holders: 'Sahipleri',
      nothing: 'Henüz hiçbir şey',
      nobody: 'Kimse',
      more: 've {{count}} kişi daha',
    },
    saving: 'Kaydediliyor…',
  },
};

export const settings: Catalog<typeof en> = { en, tr };
