import { useState } from 'react';
import { useWebT } from '../../i18n';
import { buttonClass } from './Dialog';
import { ChevronIcon, TrashIcon } from './icons';

/** What a message at a fork may do with its versions (absent while an answer streams). */
export type VersionActions = {
  onSwitch: (messageId: string) => void;
  onDelete: (messageId: string) => void;
};

const stepClass =
  'inline-flex items-center rounded-md p-1 text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 disabled:cursor-not-allowed disabled:opacity-40 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100';

/**
 * "‹ 2 / 3 ›" at a fork: the versions of a question (edits) or of an answer (regenerations).
 * Deleting a version takes the branch after it too, so it asks first.
 */
export function Versions({ id, versionIds, actions }: { id: string; versionIds: readonly string[]; actions?: VersionActions | undefined }) {
  const t = useWebT();
  const [confirming, setConfirming] = useState(false);
  const index = versionIds.indexOf(id);
  if (versionIds.length < 2 || index < 0) return null;
  const go = (to: number) => actions?.onSwitch(versionIds[to]!);
  return (
    <div className="inline-flex flex-wrap items-center gap-0.5 text-xs text-zinc-500 dark:text-zinc-400" role="group" aria-label={t('web.chat.messages.versions')}>
      <button type="button" className={stepClass} disabled={!actions || index === 0} onClick={() => go(index - 1)} title={t('web.chat.messages.previousVersion')}>
        <ChevronIcon className="size-3.5 rotate-90" />
        <span className="sr-only">{t('web.chat.messages.previousVersion')}</span>
      </button>
      <span data-testid="version" className="tabular-nums">
        {t('web.chat.messages.version', { current: index + 1, total: versionIds.length })}
      </span>
      <button
        type="button"
        className={stepClass}
        disabled={!actions || index === versionIds.length - 1}
        onClick={() => go(index + 1)}
        title={t('web.chat.messages.nextVersion')}
      >
        <ChevronIcon className="size-3.5 -rotate-90" />
        <span className="sr-only">{t('web.chat.messages.nextVersion')}</span>
      </button>
      {confirming ? (
        <span className="ml-1 inline-flex items-center gap-1" role="alert">
          {t('web.chat.messages.deleteVersionConfirm')}
          <button
            type="button"
            className={`${buttonClass.ghost} text-red-600 dark:text-red-400`}
            onClick={() => {
              setConfirming(false);
              actions?.onDelete(id);
            }}
          >
            {t('web.chat.messages.deleteVersionYes')}
          </button>
          <button type="button" className={buttonClass.ghost} onClick={() => setConfirming(false)}>
            {t('web.chat.messages.deleteVersionNo')}
          </button>
        </span>
      ) : (
        <button type="button" className={stepClass} disabled={!actions} onClick={() => setConfirming(true)} title={t('web.chat.messages.deleteVersion')}>
          <TrashIcon className="size-3.5" />
          <span className="sr-only">{t('web.chat.messages.deleteVersion')}</span>
        </button>
      )}
    </div>
  );
}
