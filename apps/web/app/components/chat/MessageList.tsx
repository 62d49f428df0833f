import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DisplayItem } from '../../chat/turn';
import { useClientLayoutEffect } from '../../chat/use-client-layout-effect';
import { useWebT } from '../../i18n';
import { buttonClass } from './Dialog';
import { ArrowDownIcon } from './icons';
import { LiveAnswer, SavedAnswer, UnansweredNotice, UserBubble, type AnswerActions } from './Messages';

/** Within this many pixels of the end counts as "at the bottom": the list keeps following new text. */
const STICK_PX = 80;

type MessageListProps = {
  items: DisplayItem[];
  actions: Omit<AnswerActions, 'onRegenerate'>;
  /** Regenerate (or retry) the last answer; absent while a turn is running. */
  onRegenerate?: (() => void) | undefined;
  hasEarlier?: boolean;
  loadingEarlier?: boolean;
  onLoadEarlier?: () => void;
  /** Shown when there is nothing yet (the new-chat page's suggestions). */
  empty?: ReactNode;
  /** Edit a saved question (a new branch); absent while a turn is running. */
  onEdit?: ((messageId: string, content: string) => void) | undefined;
};

const keyOf = (item: DisplayItem) =>
  item.kind === 'message' ? item.message.id : item.kind === 'turn' ? `turn-${item.turn.id}` : 'pending-question';

/**
 * The conversation, oldest at the top. It follows a streaming answer unless the reader has
 * scrolled up (then "Jump to the latest message" brings them back), keeps its place while
 * earlier messages load above, and starts at the newest message.
 */
export function MessageList({ items, actions, onRegenerate, hasEarlier = false, loadingEarlier = false, onLoadEarlier, empty, onEdit }: MessageListProps) {
  const t = useWebT();
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const anchor = useRef<number | null>(null);
  const [away, setAway] = useState(false);

  const toBottom = (behavior: ScrollBehavior = 'auto') => {
    const element = scroller.current;
    if (element) element.scrollTo({ top: element.scrollHeight, behavior });
  };

  // Follow the content as it grows (streamed text, highlighted code), if the reader is following.
  useEffect(() => {
    const inner = content.current;
    if (!inner) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) toBottom();
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);

  // A new turn (the last item changed to a new live answer) brings the reader to the bottom.
  const last = items.at(-1);
  const liveTurnId = last?.kind === 'turn' ? last.turn.id : null;
  useClientLayoutEffect(() => {
    if (liveTurnId === null) return;
    stick.current = true;
    toBottom();
  }, [liveTurnId]);

  // Earlier messages were added above: keep what the reader was looking at in place.
  const firstKey = items[0] ? keyOf(items[0]) : null;
  useClientLayoutEffect(() => {
    const element = scroller.current;
    if (element && anchor.current !== null) {
      element.scrollTop = element.scrollHeight - anchor.current;
      anchor.current = null;
    }
  }, [firstKey]);

  const loadEarlier = () => {
    const element = scroller.current;
    if (!element || !onLoadEarlier || loadingEarlier) return;
    anchor.current = element.scrollHeight - element.scrollTop;
    onLoadEarlier();
  };

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
    stick.current = atBottom;
    if (away === atBottom) setAway(!atBottom);
  };

  const lastIndex = items.length - 1;
  const trailingQuestion = last?.kind === 'message' && last.message.role === 'user';

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scroller} onScroll={onScroll} className="h-full overflow-y-auto overscroll-contain" data-testid="message-scroller">
        <div ref={content} className="mx-auto w-full max-w-3xl px-4 py-6 sm:px-6">
          {hasEarlier ? (
            <div className="mb-6 flex justify-center">
              <button type="button" onClick={loadEarlier} disabled={loadingEarlier} className={buttonClass.secondary}>
                {t('web.chat.messages.loadEarlier')}
              </button>
            </div>
          ) : null}
          {items.length === 0 ? empty : null}
          <h2 className="sr-only">{t('web.chat.messages.label')}</h2>
          <div className="space-y-6" data-testid="messages">
            {items.map((item, index) => {
              const isLast = index === lastIndex;
              const itemActions = { ...actions, onRegenerate: isLast ? onRegenerate : undefined };
              if (item.kind === 'pending-question') return <UserBubble key={keyOf(item)} content={item.content} pending />;
              if (item.kind === 'turn') return <LiveAnswer key={keyOf(item)} turn={item.turn} actions={itemActions} />;
              if (item.message.role === 'user') {
                return <UserBubble key={keyOf(item)} content={item.message.content} message={item.message} versions={actions.versions} onEdit={onEdit} />;
              }
              return <SavedAnswer key={keyOf(item)} message={item.message} actions={itemActions} />;
            })}
            {trailingQuestion && onRegenerate ? <UnansweredNotice onRetry={onRegenerate} /> : null}
          </div>
        </div>
      </div>
      {away ? (
        <button
          type="button"
          onClick={() => {
            stick.current = true;
            toBottom('smooth');
          }}
          className="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full border border-zinc-200 bg-white/95 px-3 py-1.5 text-xs font-medium text-zinc-700 shadow-md backdrop-blur hover:bg-white dark:border-zinc-700 dark:bg-zinc-900/95 dark:text-zinc-200"
        >
          <ArrowDownIcon className="size-3.5" />
          {t('web.chat.messages.jumpToLatest')}
        </button>
      ) : null}
    </div>
  );
}
