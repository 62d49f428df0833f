import type { accessEn } from './access.en';
import type { Messages } from './messages';

/** The Turkish side of `./access.en.ts`. */
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
