import { CopyButton, trpc, useLanguage } from '@atrium/ui';
import { useId, useState } from 'react';
import { useWebT } from '../../i18n';
import { buttonClass, inputClass } from './Dialog';

/** A share link's address on this site. */
const sharePath = (id: string) => `/shared/${id}`;

const formatDay = (date: Date, lang: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);

/** The share dialog's content: makes a read-only link to the branch in view, lists and revokes this chat's links. */
export function ShareLinks({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const t = useWebT();
  const lang = useLanguage();
  const utils = trpc.useUtils();
  const publicId = useId();
  const linkId = useId();
  const [makePublic, setMakePublic] = useState(false);
  const [latest, setLatest] = useState<string | null>(null);
  const shares = trpc.shares.mine.useQuery({ conversationId });
  const refresh = () => utils.shares.mine.invalidate({ conversationId });
  const create = trpc.shares.create.useMutation({
    onSuccess: (share) => {
      setLatest(share.id);
      void refresh();
    },
  });
  const revoke = trpc.shares.revoke.useMutation({ onSuccess: () => void refresh() });
  const urlOf = (id: string) => `${window.location.origin}${sharePath(id)}`;
  const allowPublic = shares.data?.allowPublicLinks === true;

  return (
    <div className="space-y-4 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">{makePublic && allowPublic ? t('web.share.public') : t('web.share.membersOnly')}</p>
      {allowPublic ? (
        <label htmlFor={publicId} className="flex items-center gap-2">
          <input id={publicId} type="checkbox" checked={makePublic} onChange={(event) => setMakePublic(event.target.checked)} />
          {t('web.share.public')}
        </label>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={buttonClass.primary}
          disabled={create.isPending}
          onClick={() => create.mutate({ conversationId, public: makePublic && allowPublic })}
        >
          {create.isPending ? t('web.share.creating') : t('web.share.create')}
        </button>
        <button type="button" className={buttonClass.secondary} onClick={onClose}>
          {t('web.share.close')}
        </button>
      </div>
      {create.isError ? (
        <p role="alert" className="text-red-600 dark:text-red-400">
          {create.error.message || t('web.share.failed')}
        </p>
      ) : null}
      {latest ? (
        <div className="space-y-1">
          <label htmlFor={linkId} className="font-medium">
            {t('web.share.linkLabel')}
          </label>
          <div className="flex items-center gap-2">
            <input id={linkId} readOnly value={urlOf(latest)} onFocus={(event) => event.target.select()} className={inputClass} />
            <CopyButton text={() => urlOf(latest)} label={t('web.share.copy')} />
          </div>
        </div>
      ) : null}
      <section aria-label={t('web.share.links')}>
        <h3 className="font-medium">{t('web.share.links')}</h3>
        {shares.data && shares.data.items.length === 0 ? <p className="mt-1 text-zinc-500">{t('web.share.none')}</p> : null}
        <ul className="mt-2 divide-y divide-zinc-200 dark:divide-zinc-800">
          {shares.data?.items.map((share) => (
            <li key={share.id} className="flex items-center justify-between gap-2 py-2" data-testid="share-link">
              <div className="min-w-0">
                <a href={sharePath(share.id)} target="_blank" rel="noreferrer" className="block truncate font-mono text-xs text-accent-700 hover:underline dark:text-accent-300">
                  {sharePath(share.id)}
                </a>
                <span className="text-xs text-zinc-500">
                  {t('web.share.createdAt', { date: formatDay(share.createdAt, lang), count: share.messageCount })}
                  {share.public ? ` · ${t('web.share.publicBadge')}` : ''}
                </span>
              </div>
              {share.revokedAt ? (
                <span className="shrink-0 text-xs text-zinc-500">{t('web.share.revoked')}</span>
              ) : (
                <button type="button" className={buttonClass.ghost} disabled={revoke.isPending} onClick={() => revoke.mutate({ id: share.id })}>
                  {t('web.share.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
