import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useChatDraft } from '../../chat/drafts';
import type { DisplayItem } from '../../chat/turn';
import { MAX_FILES, sendableIds } from '../../chat/uploads';
import { useWebT } from '../../i18n';
import { AttachButton, DraftChips, useDraftFiles } from './Attachments';
import { Composer, type ComposerHandle } from './Composer';
import { usePreloadMarkdown } from '@atrium/ui';
import { MessageList } from './MessageList';
import type { AnswerActions } from './Messages';
import { QuotaIndicator } from './QuotaIndicator';

type ChatViewProps = {
  /** Whose unsent text the composer shows: the chat's id, or the new chat's key (see useChatDraft). */
  draftKey: string;
  header: ReactNode;
  items: DisplayItem[];
  actions: Omit<AnswerActions, 'onRegenerate'>;
  onRegenerate?: (() => void) | undefined;
  /** Sends the question with its files; `restore` gives it back to the composer if the server refuses it. */
  onSend: (content: string, restore: (content: string) => void, attachmentIds: string[]) => void;
  onStop: () => void;
  streaming: boolean;
  unavailable?: boolean;
  modelId: string | null;
  hasEarlier?: boolean;
  loadingEarlier?: boolean;
  onLoadEarlier?: () => void;
  /** Edit a saved question: the edit is sent as a new version of it. */
  onEdit?: ((messageId: string, content: string) => void) | undefined;
  /** What an empty conversation shows; a suggestion it offers is sent as the first question. */
  empty?: (send: (text: string) => void) => ReactNode;
};

/** One chat: header, messages and composer. Escape stops a streaming answer from anywhere on the page. */
export function ChatView(props: ChatViewProps) {
  usePreloadMarkdown();
  const { streaming, onStop } = props;
  const t = useWebT();
  const [draft, setDraft] = useChatDraft(props.draftKey);
  const composer = useRef<ComposerHandle>(null);

  useEffect(() => {
    if (!streaming) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // Escape in a dialog or menu closes that, not the answer.
      if (event.target instanceof Element && event.target.closest('dialog, [role="menu"]')) return;
      event.preventDefault();
      onStop();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [streaming, onStop]);

  // A refused question comes back to the composer, with the focus.
  const [restored, setRestored] = useState(0);
  useEffect(() => {
    if (restored > 0) composer.current?.focus();
  }, [restored]);

  const files = useDraftFiles();
  const [dragging, setDragging] = useState(false);
  const send = (content: string) => {
    const sent = files.files;
    setDraft('');
    files.clear();
    props.onSend(
      content,
      (refused) => {
        setDraft((current) => (current.trim() ? current : refused));
        files.restore(sent);
        setRestored((count) => count + 1);
      },
      sendableIds(sent),
    );
  };

  return (
    <div
      className="relative flex min-h-0 flex-1 flex-col"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (!event.dataTransfer.files.length) return;
        event.preventDefault();
        setDragging(false);
        files.add([...event.dataTransfer.files]);
      }}
    >
      {dragging ? (
        <div className="pointer-events-none absolute inset-2 z-20 flex items-center justify-center rounded-2xl border-2 border-dashed border-accent-500 bg-accent-50/80 text-sm font-medium text-accent-800 dark:bg-accent-950/70 dark:text-accent-100">
          {t('web.attachments.dropHere')}
        </div>
      ) : null}
      {props.header}
      <MessageList
        items={props.items}
        actions={props.actions}
        onRegenerate={props.onRegenerate}
        hasEarlier={props.hasEarlier}
        loadingEarlier={props.loadingEarlier}
        onLoadEarlier={props.onLoadEarlier}
        empty={props.empty?.(send)}
        onEdit={props.onEdit}
      />
      <Composer
        ref={composer}
        value={draft}
        onChange={setDraft}
        onSend={send}
        onStop={onStop}
        streaming={streaming}
        unavailable={props.unavailable}
        assistant={props.actions.assistant}
        footer={<QuotaIndicator modelId={props.modelId} />}
        files={{
          chips: <DraftChips files={files.files} onRemove={files.remove} />,
          button: <AttachButton onFiles={files.add} disabled={streaming || props.unavailable} />,
          onPaste: files.add,
          blocked: files.busy || files.tooMany,
          notice: files.tooMany ? t('web.attachments.tooMany', { max: MAX_FILES }) : files.busy ? t('web.attachments.waitForUploads') : null,
        }}
      />
    </div>
  );
}
