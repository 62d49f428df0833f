import { CopyButton, Logo, Markdown, useLanguage } from '@atrium/ui';
import { useEffect, useId, useRef, useState, type ReactNode, type Ref } from 'react';
import { describeTurnError } from '../../chat/describe';
import type { TurnError, TurnState } from '../../chat/turn';
import type { ChatMessage } from '../../chat/types';
import { useNow } from '../../chat/use-now';
import { useWebT } from '../../i18n';
import { buttonClass, inputClass } from './Dialog';
import { Feedback } from './Feedback';
import { AnswerDetails } from './AnswerDetails';
import { AlertIcon, PencilIcon, RefreshIcon } from './icons';
import { MessageAttachments } from './Attachments';
import { Versions, type VersionActions } from './Versions';

/** What an answer may offer, decided by the list (only the last answer regenerates). */
export type AnswerActions = {
  conversationId: string | null;
  /** Regenerate (or Retry) the last answer; absent for earlier ones. */
  onRegenerate?: (() => void) | undefined;
  modelName: (id: string) => string;
  assistant: string;
  /** Step through and delete versions at a fork; absent while an answer streams. */
  versions?: VersionActions | undefined;
};

/** A question; a saved one can be edited (the edit starts a new branch) and shows its versions at a fork. */
export function UserBubble({
  content,
  pending = false,
  message,
  versions,
  onEdit,
}: {
  content: string;
  pending?: boolean;
  message?: ChatMessage;
  versions?: VersionActions | undefined;
  /** Sends the edited question as a new version; absent while an answer streams. */
  onEdit?: ((messageId: string, content: string) => void) | undefined;
}) {
  const t = useWebT();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(content);
  const fieldId = useId();
  if (editing && message && onEdit) {
    const submit = () => {
      if (!draft.trim()) return;
      setEditing(false);
      onEdit(message.id, draft);
    };
    return (
      <article className="flex justify-end" aria-label={t('web.chat.messages.you')} data-role="user">
        <form
          className="w-full max-w-[85%] space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <label htmlFor={fieldId} className="sr-only">
            {t('web.chat.messages.editLabel')}
          </label>
          <textarea
            id={fieldId}
            autoFocus
            rows={Math.min(8, Math.max(2, draft.split('\n').length))}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setEditing(false);
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                submit();
              }
            }}
            className={inputClass}
          />
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={() => setEditing(false)}>
              {t('web.chat.messages.editCancel')}
            </button>
            <button type="submit" className={buttonClass.primary} disabled={!draft.trim()}>
              {t('web.chat.messages.editSend')}
            </button>
          </div>
        </form>
      </article>
    );
  }
  return (
    <article className="group flex flex-col items-end gap-2" aria-label={t('web.chat.messages.you')} data-role="user" data-message-id={message?.id}>
      <MessageAttachments attachments={message?.attachments ?? []} />
      <div
        data-testid="question-text"
        className={`max-w-[85%] rounded-2xl rounded-br-md bg-accent-600 px-4 py-2.5 text-[0.95rem] leading-7 whitespace-pre-wrap text-white shadow-sm [overflow-wrap:anywhere] ${pending ? 'opacity-80' : ''}`}
      >
        {content}
      </div>
      {message ? (
        <div className="mt-1 flex items-center gap-1">
          {message.versionIds ? <Versions id={message.id} versionIds={message.versionIds} actions={versions} /> : null}
          {onEdit ? (
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => {
                setDraft(content);
                setEditing(true);
              }}
              title={t('web.chat.messages.edit')}
            >
              <PencilIcon className="size-3.5" />
              <span className="sr-only">{t('web.chat.messages.edit')}</span>
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function AnswerFrame({
  heading,
  children,
  live,
  busy,
  answerRef,
  messageId,
}: {
  messageId?: string | undefined;
  heading: ReactNode;
  children: ReactNode;
  live?: boolean;
  busy?: boolean;
  answerRef?: Ref<HTMLElement>;
}) {
  const t = useWebT();
  return (
    <article
      ref={answerRef}
      tabIndex={live ? -1 : undefined}
      aria-label={t('web.chat.messages.answer')}
      aria-live={live ? 'polite' : undefined}
      aria-busy={live ? Boolean(busy) : undefined}
      data-answer=""
      data-role="assistant"
      data-message-id={messageId}
      className="flex gap-3 rounded-lg focus:outline-none"
    >
      <Logo className="mt-0.5 size-7 shrink-0" />
      <div className="min-w-0 flex-1">
        <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{heading}</p>
        {children}
      </div>
    </article>
  );
}

function Heading({ assistant, model }: { assistant: string; model: string | null }) {
  return (
    <>
      {assistant}
      {model ? <span className="font-normal"> · {model}</span> : null}
    </>
  );
}

function StoppedBadge() {
  const t = useWebT();
  return (
    <span
      data-testid="stopped"
      className="mt-1 inline-flex items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-600 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700"
    >
      <span className="size-1.5 rounded-full bg-zinc-400" aria-hidden="true" />
      {t('web.chat.messages.stopped')}
    </span>
  );
}

function ErrorNotice({ error, actions, retry }: { error: TurnError; actions: AnswerActions; retry: boolean }) {
  const t = useWebT();
  const lang = useLanguage();
  const now = useNow();
  // A limit's reset time is in the reader's time zone, known only in the browser (errors only happen there).
  const text = describeTurnError(t, lang, error, { now: now ?? new Date(), modelName: actions.modelName });
  return (
    <div
      role="alert"
      className="mt-2 flex flex-wrap items-start gap-x-3 gap-y-2 rounded-xl border border-red-200 bg-red-50 px-3.5 py-2.5 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
    >
      <AlertIcon className="mt-0.5 size-4 shrink-0" />
      <p className="min-w-0 flex-1">{text}</p>
      {retry && actions.onRegenerate ? (
        <button type="button" onClick={actions.onRegenerate} className={`${buttonClass.secondary} py-1 text-xs`}>
          <RefreshIcon className="size-3.5" />
          {t('web.chat.messages.retry')}
        </button>
      ) : null}
    </div>
  );
}

function ActionRow({ text, messageId, actions, versionIds }: { text: string; messageId: string | null; actions: AnswerActions; versionIds?: readonly string[] | undefined }) {
  const t = useWebT();
  return (
    <div className="mt-1.5 -ml-2 flex flex-wrap items-center gap-0.5">
      {messageId && versionIds ? <Versions id={messageId} versionIds={versionIds} actions={actions.versions} /> : null}
      <CopyButton text={() => text} label={t('web.chat.messages.copyAnswer')} />
      {actions.onRegenerate ? (
        <button type="button" onClick={actions.onRegenerate} className={buttonClass.ghost}>
          <RefreshIcon className="size-3.5" />
          {t('web.chat.messages.regenerate')}
        </button>
      ) : null}
      {messageId && actions.conversationId ? <Feedback conversationId={actions.conversationId} messageId={messageId} /> : null}
    </div>
  );
}

/** A saved answer. */
export function SavedAnswer({ message, actions }: { message: ChatMessage; actions: AnswerActions }) {
  return (
    <AnswerFrame messageId={message.id} heading={<Heading assistant={actions.assistant} model={message.model ? actions.modelName(message.model) : null} />}>
      {message.content ? <Markdown text={message.content} /> : null}
      <MessageAttachments attachments={message.attachments} align="start" />
      {message.aborted ? <StoppedBadge /> : null}
      {message.error ? <ErrorNotice error={{ kind: 'upstream', message: message.error }} actions={actions} retry /> : null}
      <AnswerDetails message={message} modelName={actions.modelName} />
      {message.content ? (
        // A failed answer offers Retry in its notice; Regenerate would say the same twice.
        <ActionRow
          text={message.content}
          messageId={message.id}
          versionIds={message.versionIds}
          actions={message.error ? { ...actions, onRegenerate: undefined } : actions}
        />
      ) : message.versionIds && message.versionIds.length > 1 ? (
        <div className="mt-1.5 -ml-2">
          <Versions id={message.id} versionIds={message.versionIds} actions={actions.versions} />
        </div>
      ) : null}
    </AnswerFrame>
  );
}

/** The answer of a live turn: thinking, streaming, then done, stopped, failed or refused. */
export function LiveAnswer({ turn, actions }: { turn: TurnState; actions: AnswerActions }) {
  const t = useWebT();
  const ref = useRef<HTMLElement>(null);
  const streaming = turn.phase === 'submitting' || turn.phase === 'streaming';

  // A new answer takes the focus, so a screen reader follows it (the composer is disabled meanwhile).
  useEffect(() => {
    if (turn.phase === 'submitting' || turn.phase === 'streaming') ref.current?.focus({ preventScroll: true });
    // Only when a turn starts, not on every phase.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [turn.id]);

  if (turn.phase === 'rejected' && turn.error) {
    return (
      <div data-testid="turn-refused">
        <ErrorNotice error={turn.error} actions={actions} retry={false} />
      </div>
    );
  }
  const modelName = turn.model?.displayName ?? null;
  return (
    <AnswerFrame heading={<Heading assistant={actions.assistant} model={modelName} />} live busy={streaming} answerRef={ref}>
      {turn.text ? (
        <div className={streaming ? 'streaming-answer' : undefined} data-testid={streaming ? 'streaming-answer' : undefined}>
          <Markdown text={turn.text} />
        </div>
      ) : streaming ? (
        <p className="mt-1 inline-flex items-center gap-1.5 text-sm text-zinc-500 dark:text-zinc-400">
          <span className="flex gap-1" aria-hidden="true">
            <span className="size-1.5 animate-bounce rounded-full bg-zinc-400 [animation-delay:-0.3s]" />
            <span className="size-1.5 animate-bounce rounded-full bg-zinc-400 [animation-delay:-0.15s]" />
            <span className="size-1.5 animate-bounce rounded-full bg-zinc-400" />
          </span>
          {turn.model?.draws ? t('web.chat.messages.drawing') : t('web.chat.messages.thinking')}
        </p>
      ) : null}
      {turn.message ? <MessageAttachments attachments={turn.message.attachments} align="start" /> : null}
      {turn.phase === 'stopped' ? <StoppedBadge /> : null}
      {turn.phase === 'failed' && turn.error ? <ErrorNotice error={turn.error} actions={actions} retry /> : null}
      {turn.message && !streaming ? <AnswerDetails message={turn.message} modelName={actions.modelName} /> : null}
      {!streaming && turn.text ? (
        <ActionRow
          text={turn.text}
          messageId={turn.message?.id ?? null}
          actions={turn.phase === 'failed' ? { ...actions, onRegenerate: undefined } : actions}
        />
      ) : null}
    </AnswerFrame>
  );
}

/** A question left without an answer (the answer failed before any text, or the page closed). */
export function UnansweredNotice({ onRetry }: { onRetry: () => void }) {
  const t = useWebT();
  return (
    <div className="flex flex-wrap items-center gap-3 pl-10 text-sm text-zinc-500 dark:text-zinc-400">
      <p>{t('web.chat.messages.noAnswer')}</p>
      <button type="button" onClick={onRetry} className={`${buttonClass.secondary} py-1 text-xs`}>
        <RefreshIcon className="size-3.5" />
        {t('web.chat.messages.retry')}
      </button>
    </div>
  );
}
