import { createTranslator, languageNames, languages, Logo, type Language } from '@atrium/ui';
import { useMemo } from 'react';
import { catalog, useAdminT } from '../i18n';

export type IdentityDraft = {
  displayName: string;
  developerName: Record<Language, string>;
  productFamily: string;
  shortIntro: Record<Language, string>;
  forbidProviderMention: boolean;
};

/**
 * How the assistant introduces itself to a student using one language, drawn as a short chat.
 * Everything in it is in that language (the questions, the lines around the admin's texts, and
 * the texts written for it), so it reads as that student will read it. The answers follow the
 * rules its prompt gets: the short introduction when asked who it is, and, when the provider must
 * not be named, its own name and developer when asked which model it is.
 */
export function IdentityPreview({
  identity,
  language,
  onLanguage,
}: {
  identity: IdentityDraft;
  language: Language;
  onLanguage: (language: Language) => void;
}) {
  const t = useAdminT();
  const say = useMemo(() => createTranslator(language, catalog), [language]);
  const name = identity.displayName.trim() || '…';
  const developer = identity.developerName[language].trim() || '…';
  const family = identity.productFamily.trim();
  return (
    <div className="space-y-4" data-testid="identity-preview">
      <div role="group" aria-label={t('content.identity.preview.language')} className="flex gap-1">
        {languages.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={option === language}
            onClick={() => onLanguage(option)}
            className="rounded-md px-2.5 py-1 text-xs font-medium text-zinc-600 ring-1 ring-zinc-200 ring-inset aria-pressed:bg-accent-600 aria-pressed:text-white aria-pressed:ring-accent-600 dark:text-zinc-300 dark:ring-zinc-700"
          >
            {languageNames[option]}
          </button>
        ))}
      </div>
      <div lang={language} className="space-y-4">
        <div className="flex items-center gap-3">
          <Logo />
          <div>
            <p className="font-semibold">{name}</p>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              {say('content.identity.preview.byline', { developer })}
              {family && family !== identity.displayName.trim()
                ? ` · ${say('content.identity.preview.family', { family })}`
                : null}
            </p>
          </div>
        </div>
        <div className="space-y-3 text-sm">
          <Bubble from="user">{say('content.identity.preview.askWho')}</Bubble>
          <Bubble from="assistant">{identity.shortIntro[language].trim() || '…'}</Bubble>
          <Bubble from="user">{say('content.identity.preview.askModel')}</Bubble>
          {identity.forbidProviderMention ? (
            <Bubble from="assistant">{say('content.identity.preview.answerModelHidden', { name, developer })}</Bubble>
          ) : (
            <p className="text-xs text-zinc-500 italic dark:text-zinc-400">
              {say('content.identity.preview.answerModelOpen')}
            </p>
          )}
        </div>
      </div>
      <p className="border-t border-zinc-200 pt-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        {t('content.identity.preview.note')}
      </p>
    </div>
  );
}

function Bubble({ from, children }: { from: 'user' | 'assistant'; children: string }) {
  return from === 'user' ? (
    <p className="ml-auto w-fit max-w-[85%] rounded-2xl rounded-br-md bg-accent-600 px-3.5 py-2 text-white">
      {children}
    </p>
  ) : (
    <p className="w-fit max-w-[85%] rounded-2xl rounded-bl-md bg-zinc-100 px-3.5 py-2 whitespace-pre-wrap text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100">
      {children}
    </p>
  );
}
