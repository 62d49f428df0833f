/** The landing page's strings: a chunk the browser loads on that page only (see `pageStringGroups`). */
export const en = {
  web: {
    meta: {
      title: '{{product}} · AI assistant for the university',
      description: 'Chat with leading language models using your university account, in English or Turkish.',
    },
    hero: {
      eyebrow: 'For students and staff',
      title: "Your university's AI assistant",
      lead: '{{product}} lets you chat with leading language models using your university account: ask questions, draft and polish writing, work through problems, in English or Turkish.',
      status: 'Service status',
      signIn: 'Sign in',
      register: 'Have an invite? Register',
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
