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
};
