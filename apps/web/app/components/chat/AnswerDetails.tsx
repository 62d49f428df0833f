import { useLanguage } from '@atrium/ui';
import { formatNumber } from '../../chat/reset-time';
import type { ChatMessage } from '../../chat/types';
import { useWebT } from '../../i18n';
import { formatCost } from '../../usage/format';

const mark =
  'inline-flex items-center rounded-full bg-zinc-100 px-1.5 py-px font-medium text-zinc-600 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700';

/**
 * The line under a saved answer: the model and style it used, whether its tokens are estimated or
 * it came from the cache, and its tokens and cost when the server sent them (only to users an
 * admin lets see them). Stopped answers carry their own badge above.
 */
export function AnswerDetails({ message, modelName }: { message: Pick<ChatMessage, 'model' | 'style' | 'estimated' | 'cacheHit' | 'usage'>; modelName: (id: string) => string }) {
  const t = useWebT();
  const lang = useLanguage();
  const parts = [
    message.model ? <span key="model">{modelName(message.model)}</span> : null,
    message.style ? <span key="style">{t('web.answer.style', { name: message.style.name })}</span> : null,
    message.estimated ? (
      <span key="estimated" className={mark} title={t('web.answer.estimatedHint')} data-testid="answer-estimated">
        {t('web.answer.estimated')}
      </span>
    ) : null,
    message.cacheHit ? (
      <span key="cached" className={mark} title={t('web.answer.cachedHint')} data-testid="answer-cached">
        {t('web.answer.cached')}
      </span>
    ) : null,
    message.usage ? (
      <span key="tokens" data-testid="answer-tokens">
        {t('web.answer.tokens', {
          total: formatNumber(message.usage.promptTokens + message.usage.completionTokens, lang),
          prompt: formatNumber(message.usage.promptTokens, lang),
          completion: formatNumber(message.usage.completionTokens, lang),
        })}
      </span>
    ) : null,
    message.usage && message.usage.costMicros > 0 ? (
      <span key="cost" data-testid="answer-cost">
        {t('web.answer.cost', { cost: formatCost(message.usage.costMicros, lang) })}
      </span>
    ) : null,
  ].filter((part) => part !== null);
  if (parts.length === 0) return null;
  return (
    <p data-testid="answer-details" className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
      <span className="sr-only">{t('web.answer.label')}: </span>
      {parts.flatMap((part, index) => (index === 0 ? [part] : [<span key={`dot-${index}`} aria-hidden="true">·</span>, part]))}
    </p>
  );
}
