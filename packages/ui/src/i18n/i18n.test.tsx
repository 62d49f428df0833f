import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { commonCatalog } from './common';
import { createTranslator, I18nProvider, useT } from './i18n';
import { missingTranslations } from './testing';

function Greeting() {
  const t = useT();
  return <p>{t('shell.footer', { product: 'Atrium <beta>' })}</p>;
}

describe('translations', () => {
  it('renders the chosen language on the server, with variables filled in', () => {
    expect(renderToString(<I18nProvider lang="tr" catalog={commonCatalog}><Greeting /></I18nProvider>)).toContain('Atrium &lt;beta&gt;, üniversite tarafından');
    expect(renderToString(<I18nProvider lang="en" catalog={commonCatalog}><Greeting /></I18nProvider>)).toContain('Atrium &lt;beta&gt; is run by the university');
  });

  it('lets an app add its own strings on top of the shared ones', () => {
    const catalog = {
      en: { ...commonCatalog.en, page: { hello: 'Hello {{name}}' } },
      tr: { ...commonCatalog.tr, page: { hello: 'Merhaba {{name}}' } },
    };
    const t = createTranslator('tr', catalog);
    expect(t('page.hello', { name: 'Ayşe' })).toBe('Merhaba Ayşe');
    expect(t('health.ok')).toBe('Çalışıyor');
  });

  it('shows only the languages of the shared strings an app has loaded, English where one is missing', () => {
    const onlyEnglish = { en: commonCatalog.en };
    expect(createTranslator('tr', onlyEnglish)('health.ok')).toBe('Operational');
    expect(createTranslator('tr', { tr: commonCatalog.tr })('health.ok')).toBe('Çalışıyor');
  });

  it('has a Turkish string for every shared English one, with the same variables', () => {
    expect(missingTranslations(commonCatalog)).toEqual([]);
  });
});
