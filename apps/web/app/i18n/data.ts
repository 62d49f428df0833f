import type { Messages } from '@atrium/ui';

/** The "Your data" page's strings (`web.data.*`), merged into the app catalog in `app/i18n.ts`. */
export const en = {
  data: {
    menu: 'Your data',
    metaTitle: 'Your data · {{product}}',
    title: 'Your data',
    lead: 'Everything {{product}} keeps about you belongs to you: you can delete it at any time.',
    delete: {
      heading: 'Delete my account',
      body: 'This erases your account and everything in it for good: every conversation and message, your memory, styles, ratings, files and signed-in devices. Usage totals the university reports stay, without your name. This cannot be undone.',
      directory:
        'Your university (directory) account is not affected: only your {{product}} account is deleted. If you sign in again later, you start with a fresh, empty {{product}} account.',
      password: 'Your password',
      passwordHint: 'To make sure it is you.',
      directoryPasswordHint: 'Your university password, to make sure it is you.',
      confirm: 'Type your username ({{username}}) to confirm',
      submit: 'Delete my account for good',
      submitting: 'Deleting…',
      passwordRequired: 'Enter your password.',
      passwordWrong: 'That password is not correct.',
      confirmMismatch: 'Type your username exactly as shown.',
      lastAdmin: 'You are the last administrator. Make someone else an administrator first.',
      failed: 'Your account could not be deleted. Please try again.',
      directoryDown: 'The university directory cannot check your password right now. Please try again shortly.',
    },
    deleted: {
      metaTitle: 'Account deleted · {{product}}',
      title: 'Your account has been deleted',
      body: 'Everything {{product}} kept about you has been erased. Thank you for using it.',
      home: 'Back to the start page',
    },
  },
};

export const tr: Messages<typeof en> = {
  data: {
    menu: 'Verileriniz',
    metaTitle: 'Verileriniz · {{product}}',
    title: 'Verileriniz',
    lead: '{{product}} hakkınızda ne tutuyorsa sizindir: dilediğiniz zaman silebilirsiniz.',
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
