import { trpc } from '@atrium/ui';
import { useId, useState } from 'react';
import type { Rating } from '../../chat/types';
import { useWebT } from '../../i18n';
import { buttonClass, inputClass } from './Dialog';
import { ThumbDownIcon, ThumbUpIcon } from './icons';

const thumbClass =
  'inline-flex items-center rounded-md p-1.5 text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 aria-pressed:text-accent-600 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-pressed:text-accent-400';

/**
 * Like or dislike an answer; a dislike asks (optionally) what was wrong. Pressing the chosen
 * thumb again takes the rating back.
 */
export function Feedback({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const t = useWebT();
  const utils = trpc.useUtils();
  const ratings = trpc.feedback.mine.useQuery({ conversationId }, { staleTime: 60_000 });
  const rating = ratings.data?.find((entry) => entry.messageId === messageId) ?? null;
  const [asking, setAsking] = useState(false);
  const [comment, setComment] = useState('');
  const [thanked, setThanked] = useState(false);
  const commentId = useId();

  const store = (next: Rating | null) =>
    utils.feedback.mine.setData({ conversationId }, (list) => [...(list ?? []).filter((entry) => entry.messageId !== messageId), ...(next ? [next] : [])]);
  const give = trpc.feedback.give.useMutation({ onSuccess: (saved) => store(saved) });
  const retract = trpc.feedback.retract.useMutation({ onSuccess: () => store(null) });
  const failed = give.isError || retract.isError;

  const choose = (type: 'like' | 'dislike') => {
    setThanked(false);
    if (rating?.type === type) {
      setAsking(false);
      return retract.mutate({ messageId });
    }
    give.mutate({ messageId, type });
    setAsking(type === 'dislike');
    if (type === 'like') setThanked(true);
  };

  return (
    <>
      <button type="button" aria-pressed={rating?.type === 'like'} onClick={() => choose('like')} className={thumbClass} title={t('web.chat.feedback.like')}>
        <ThumbUpIcon />
        <span className="sr-only">{t('web.chat.feedback.like')}</span>
      </button>
      <button
        type="button"
        aria-pressed={rating?.type === 'dislike'}
        onClick={() => choose('dislike')}
        className={thumbClass}
        title={t('web.chat.feedback.dislike')}
      >
        <ThumbDownIcon />
        <span className="sr-only">{t('web.chat.feedback.dislike')}</span>
      </button>
      <span role="status" className="text-xs text-zinc-500 dark:text-zinc-400">
        {failed ? <span className="text-red-600 dark:text-red-400">{t('web.chat.feedback.failed')}</span> : thanked ? t('web.chat.feedback.thanks') : null}
      </span>
      {asking ? (
        <form
          className="mt-2 basis-full space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            give.mutate({ messageId, type: 'dislike', comment: comment.trim() || null });
            setAsking(false);
            setComment('');
            setThanked(true);
          }}
        >
          <label htmlFor={commentId} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
            {t('web.chat.feedback.commentLabel')}
          </label>
          <textarea
            id={commentId}
            rows={2}
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            placeholder={t('web.chat.feedback.commentPlaceholder')}
            className={inputClass}
          />
          <div className="flex gap-2">
            <button type="submit" className={buttonClass.primary}>
              {t('web.chat.feedback.send')}
            </button>
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() => {
                setAsking(false);
                setThanked(true);
              }}
            >
              {t('web.chat.feedback.skip')}
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}
