import type { Messages } from './messages';

/** Shared strings for forms and the signed-in user's menu, merged into the common catalog. */
export const accessEn = {
  form: {
    errorSummary: 'There is a problem',
    required: 'This field is required.',
    tooShort: 'Use at least {{min}} characters.',
    tooLong: 'Use at most {{max}} characters.',
    email: 'Enter a valid email address.',
    mismatch: 'The two passwords do not match.',
    invalid: 'This value is not valid.',
    optional: 'optional',
  },
  account: {
    menu: 'Account menu for {{name}}',
    signOut: 'Sign out',
    signIn: 'Sign in',
  },
  roles: {
    student: 'Student',
    staff: 'Staff',
    admin: 'Administrator',
  },
  sso: {
    heading: 'Single sign-on',
    or: 'or with a username and password',
    signInWith: 'Sign in with {{name}}',
    errors: {
      invalid: 'The answer from your identity provider could not be verified, so you were not signed in. Please try again; if it keeps happening, tell the IT help desk.',
      expired: 'That sign-in took too long or was already used. Please start again.',
      replayed: 'That sign-in answer was already used. Please start again.',
      not_allowed: 'Your university account is not permitted to use this service.',
      admin_only: 'Only administrators can sign in here.',
      suspended: 'This account is suspended. Contact an administrator if you think this is a mistake.',
      unavailable: 'Your identity provider cannot be reached right now. Please try again in a few minutes.',
    },
  },
};

export const accessTr: Messages<typeof accessEn> = {
  form: {
    errorSummary: 'Bir sorun var',
    required: 'Bu alan zorunludur.',
    tooShort: 'En az {{min}} karakter kullanın.',
    tooLong: 'En fazla {{max}} karakter kullanın.',
    email: 'Geçerli bir e-posta adresi girin.',
    mismatch: 'Girdiğiniz iki parola birbiriyle aynı değil.',
    invalid: 'Bu değer geçerli değil.',
    optional: 'isteğe bağlı',
  },
  account: {
    menu: '{{name}} için hesap menüsü',
    signOut: 'Oturumu kapat',
    signIn: 'Oturum aç',
  },
  roles: {
    student: 'Öğrenci',
    staff: 'Personel',
    admin: 'Yönetici',
  },
  sso: {
    heading: 'Tek oturum açma',
    or: 'ya da kullanıcı adı ve parolayla',
    signInWith: '{{name}} ile oturum aç',
    errors: {
      invalid: 'Kimlik sağlayıcınızdan gelen yanıt doğrulanamadığı için oturumunuz açılmadı. Lütfen yeniden deneyin; sorun sürerse BT yardım masasına bildirin.',
      expired: 'Bu oturum açma işlemi çok uzun sürdü ya da daha önce kullanıldı. Lütfen yeniden başlayın.',
      replayed: 'Bu oturum açma yanıtı daha önce kullanıldı. Lütfen yeniden başlayın.',
      not_allowed: 'Üniversite hesabınızın bu hizmeti kullanma izni yok.',
      admin_only: 'Burada yalnızca yöneticiler oturum açabilir.',
      suspended: 'Bu hesap askıya alınmış. Bir yanlışlık olduğunu düşünüyorsanız bir yöneticiyle iletişime geçin.',
      unavailable: 'Kimlik sağlayıcınıza şu anda ulaşılamıyor. Lütfen birkaç dakika sonra yeniden deneyin.',
    },
  },
};
