/** The My usage page (`web.usage.*`), in the account group (`app/i18n/groups/account.en.ts`). */
export const en = {
  usage: {
    menu: 'Usage',
    metaTitle: 'My usage · {{product}}',
    title: 'My usage',
    lead: 'Your own requests and tokens this month, per day and per model, and what is left of your limits. Nobody else’s use is shown here.',
    month: 'Month',
    previous: 'Previous month',
    next: 'Next month',
    limits: {
      title: 'What is left',
      model: 'Model',
      today: 'Requests today',
      month: 'Tokens this month',
      unlimited: 'No limit',
      left: '{{remaining}} of {{max}} left',
      resets: 'Resets {{when}}',
      none: 'No models are available to you.',
    },
    chart: {
      title: 'Tokens per day',
      description: 'Tokens used each day of {{month}}, stacked by model. The table below has the same numbers.',
      empty: 'Nothing used in {{month}} yet.',
      bar: '{{day}}: {{tokens}} tokens, {{requests}} requests',
      axis: 'Tokens',
    },
    table: {
      title: 'Per day and model',
      day: 'Day',
      model: 'Model',
      requests: 'Requests',
      cacheHits: 'From cache',
      tokens: 'Tokens',
      cost: 'Cost',
      total: 'Month total',
    },
  },
};
