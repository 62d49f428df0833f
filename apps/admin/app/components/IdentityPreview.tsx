import { Logo } from '@atrium/ui';
import { useAdminT } from '../i18n';

export type IdentityDraft = {
  displayName: string;
  developerName: string;
  productFamily: string;
  shortIntro: string;
  forbidProviderMention: boolean;
};

/**
 * How the assistant introduces itself, drawn as a short chat. The answers follow the rules its
 * prompt gets: the short introduction when asked who it is, and, when the provider must not be
 * named, its own name and developer when asked which model it is.
 */
export function IdentityPreview({ identity }: { identity: IdentityDraft }) {
  const t = useAdminT();
  const name = identity.displayName.trim() || '…';
  const developer = identity.developerName.trim() || '…';
  const family = identity.productFamily.trim();
  return (
    <div className="space-y-4" data-testid="identity-preview">
      <div className="flex items-center gap-3">
        <Logo />
        <div>
          <p className="font-semibold">{name}</p>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {t('content.identity.preview.byline', { developer })}
            {family && family !== identity.displayName.trim()
              ? ` · ${t('content.identity.preview.family', { family })}`
              : null}
          </p>
        </div>
      </div>
      <div className="space-y-3 text-sm">
        <Bubble from="user">{t('content.identity.preview.askWho')}</Bubble>
        <Bubble from="assistant">{identity.shortIntro.trim() || '…'}</Bubble>
        <Bubble from="user">{t('content.identity.preview.askModel')}</Bubble>
        {identity.forbidProviderMention ? (
          <Bubble from="assistant">{t('content.identity.preview.answerModelHidden', { name, developer })}</Bubble>
        ) : (
          <p className="text-xs text-zinc-500 italic dark:text-zinc-400">
            {t('content.identity.preview.answerModelOpen')}
          </p>
        )}
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
