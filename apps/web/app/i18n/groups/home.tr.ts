import type { Messages } from '@atrium/ui';
import type { en } from './home.en';

/** The Turkish side of `./home.en.ts`. */
export const tr: Messages<typeof en> = {
  web: {
    meta: {
      title: '{{product}} · Üniversitenin yapay zekâ asistanı',
      description: 'Üniversite hesabınızla önde gelen dil modelleriyle Türkçe ya da İngilizce sohbet edin.',
    },
    hero: {
      eyebrow: 'Öğrenciler ve çalışanlar için',
      title: 'Üniversitenizin yapay zekâ asistanı',
      lead: '{{product}} ile üniversite hesabınızı kullanarak önde gelen dil modelleriyle sohbet edebilirsiniz: soru sorun, metinlerinizi taslak hâline getirip düzeltin, problemleri adım adım çözün; Türkçe ya da İngilizce.',
      status: 'Hizmet durumu',
      signIn: 'Oturum aç',
      register: 'Davetiniz mi var? Kaydolun',
    },
    preview: {
      label: 'Örnek bir sohbet',
      question: 'Bu haftaki termodinamik dersini üç maddede özetler misin?',
      answer:
        'Elbette. 1) Enerji korunur: verilen ısı, yapılan iş ile iç enerjideki değişimin toplamına eşittir. 2) Yalıtılmış bir sistemin entropisi asla azalmaz. 3) İki sıcaklık arasında çalışan hiçbir makine Carnot verimini aşamaz.',
      model: 'Demo model',
    },
    features: {
      heading: 'Ders çalışmak ve öğretmek için tasarlandı',
      streaming: {
        title: 'Yazıldıkça gelen yanıtlar',
        body: 'Yanıtlar kelime kelime akar; istediğinizi aldığınız anda yanıtı durdurabilirsiniz.',
      },
      models: {
        title: 'Her işe uygun model',
        body: 'Hızlı taslaklar için çevik bir model, titiz analizler için daha güçlü bir model seçin; hazır ayarlar ve kendi üsluplarınızla.',
      },
      privacy: {
        title: 'Gizlilik esastır',
        body: 'Üniversitenin kendi sunucularında çalışır. Sohbetleriniz size aittir: istediğiniz zaman dışa aktarın ya da silin.',
      },
    },
  },
};
