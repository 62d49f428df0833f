import type { Messages } from '@atrium/ui';
import type { en } from './data.en';

/** The Turkish side of `./data.en.ts`, in the account group (`app/i18n/groups/account.tr.ts`): a page loads only its groups, in its language. */
export const tr: Messages<typeof en> = {
  data: {
    menu: 'Verileriniz',
    metaTitle: 'Verileriniz · {{product}}',
    title: 'Verileriniz',
    lead: '{{product}} hakkınızda ne tutuyorsa sizindir: dilediğiniz zaman indirebilir veya silebilirsiniz.',
    export: {
      heading: 'Verilerimi indir',
      body: 'Hesabınızı, oturum açık cihazlarınızı, hafızanızı, stillerinizi ve değerlendirmelerinizi, her sohbeti Markdown ve JSON olarak, kullanım geçmişinizi ve dosyalarınızı içeren tek bir arşiv (.zip dosyası). Arka planda hazırlanır ve {{hours}} saat boyunca indirilebilir.',
      request: 'Arşivimi hazırla',
      again: 'Yeni bir arşiv hazırla',
      requesting: 'İsteniyor…',
      queued: 'Arşiviniz hazırlanmak için sırada…',
      running: 'Arşiviniz hazırlanıyor: {{total}} öğeden {{done}} tanesi tamam.',
      progressLabel: 'Arşiv ilerlemesi',
      ready: 'Arşiviniz hazır ({{size}} MB).',
      until: 'Şu zamana kadar indirebilirsiniz:',
      download: 'Verilerimi indir',
      failed: 'Arşiviniz hazırlanamadı. Lütfen yeniden deneyin.',
      expired: 'Son arşivinizin süresi doldu ve silindi. Verilerinizi indirmek için yenisini hazırlayın.',
      notAllowed: 'Hesabınız için veri dışa aktarma kapalı. Bir yöneticiye başvurun.',
      requestFailed: 'Arşiviniz istenemedi. Lütfen yeniden deneyin.',
    },
    delete: {
      heading: 'Hesabımı sil',
      body: 'Bu işlem hesabınızı ve içindeki her şeyi kalıcı olarak siler: tüm sohbetler ve mesajlar, hafızanız, stilleriniz, değerlendirmeleriniz, dosyalarınız ve oturum açık cihazlarınız. Üniversitenin raporladığı kullanım toplamları adınız olmadan kalır. Bu işlem geri alınamaz.',
      directory:
        'Üniversite (dizin) hesabınız etkilenmez: yalnızca {{product}} hesabınız silinir. Daha sonra yeniden oturum açarsanız yeni ve boş bir {{product}} hesabıyla başlarsınız.',
      password: 'Parolanız',
      passwordHint: 'Siz olduğunuzdan emin olmak için.',
      directoryPasswordHint: 'Siz olduğunuzdan emin olmak için üniversite parolanız.',
      confirm: 'Onaylamak için kullanıcı adınızı ({{username}}) yazın',
      submit: 'Hesabımı kalıcı olarak sil',
      submitting: 'Siliniyor…',
      passwordRequired: 'Parolanızı girin.',
      passwordWrong: 'Parola doğru değil.',
      confirmMismatch: 'Kullanıcı adınızı tam olarak gösterildiği gibi yazın.',
      lastAdmin: 'Son yönetici sizsiniz. Önce başka birini yönetici yapın.',
      failed: 'Hesabınız silinemedi. Lütfen yeniden deneyin.',
      directoryDown: 'Üniversite dizini şu anda parolanızı doğrulayamıyor. Lütfen biraz sonra yeniden deneyin.',
    },
    deleted: {
      metaTitle: 'Hesap silindi · {{product}}',
      title: 'Hesabınız silindi',
      body: '{{product}} hakkınızda tuttuğu her şey silindi. Kullandığınız için teşekkürler.',
      home: 'Başlangıç sayfasına dön',
    },
  },
};
