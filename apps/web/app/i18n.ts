import { useT, type Catalog } from '@atrium/ui';
import * as apiKeys from './i18n/apiKeys';
import * as auth from './i18n/auth';
import * as chat from './i18n/chat';
import * as data from './i18n/data';
import * as memory from './i18n/memory';

const en = {
  web: {
    ...auth.en,
    ...chat.en,
    ...memory.en,
    ...data.en,
    ...apiKeys.en,
    meta: {
      title: '{{product}} · AI assistant for the university',
      description: 'Chat with leading language models using your university account, in English or Turkish.',
    },
    nav: { home: 'Home' },
    hero: {
      eyebrow: 'For students and staff',
      title: "Your university's AI assistant",
      lead: '{{product}} lets you chat with leading language models using your university account: ask questions, draft and polish writing, work through problems, in English or Turkish.',
      status: 'Service status',
    },
    preview: {
      label: 'An example conversation',
      question: "Can you summarise this week's thermodynamics lecture in three points?",
      answer:
        'Of course. 1) Energy is conserved: heat added equals work done plus the change in internal energy. 2) Entropy of an isolated system never decreases. 3) No engine can beat the Carnot efficiency between two temperatures.',
      model: 'Demo model',
    },
    features: {
      heading: 'Made for studying and teaching',
      streaming: {
        title: 'Answers as they are written',
        body: 'Replies stream in word by word, and you can stop one the moment you have what you need.',
      },
      models: {
        title: 'The right model for the task',
        body: 'Pick a fast model for quick drafts or a stronger one for careful analysis, with presets and your own styles.',
      },
      privacy: {
        title: 'Private by design',
        body: "Runs on the university's own servers. Your chats are yours: export them or delete them at any time.",
      },
    },
  },
};

const tr: Catalog<typeof en>['tr'] = {
  web: {
    ...auth.tr,
    ...chat.tr,
    ...memory.tr,
    ...data.tr,
    ...apiKeys.tr,
    meta: {
      title: '{{product}} · Üniversitenin yapay zekâ asistanı',
      description: 'Üniversite hesabınızla önde gelen dil modelleriyle Türkçe ya da İngilizce sohbet edin.',
    },
    nav: { home: 'Ana sayfa' },
    hero: {
      eyebrow: 'Öğrenciler ve çalışanlar için',
      title: 'Üniversitenizin yapay zekâ asistanı',
      lead: '{{product}} ile üniversite hesabınızı kullanarak önde gelen dil modelleriyle sohbet edebilirsiniz: soru sorun, metinlerinizi taslak hâline getirip düzeltin, problemleri adım adım çözün; Türkçe ya da İngilizce.',
      status: 'Hizmet durumu',
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

/** This app's strings; the shell's shared ones come from @atrium/ui. */
export const catalog = { en, tr } satisfies Catalog<typeof en>;

/** The translate function for this app's components. */
export const useWebT = () => useT<typeof en>();
