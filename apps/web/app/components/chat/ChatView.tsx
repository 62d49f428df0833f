import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DisplayItem } from '../../chat/turn';
import { Composer, type ComposerHandle } from './Composer';
import { MessageList } from './MessageList';
import type { AnswerActions } from './Messages';
import { QuotaIndicator } from './QuotaIndicator';

type ChatViewProps = {
  header: ReactNode;
  items: DisplayItem[];
  actions: Omit<AnswerActions, 'onRegenerate'>;
  onRegenerate?: (() => void) | undefined;
  /** Sends the question; `restore` gives it back to the composer if the server refuses it. */
  onSend: (content: string, restore: (content: string) => void) => void;
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
  const { streaming, onStop } = props;
  const [draft, setDraft] = useState('');
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

  const send = (content: string) => {
    setDraft('');
    props.onSend(content, (refused) => {
      setDraft((current) => (current.trim() ? current : refused));
      setRestored((count) => count + 1);
    });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
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
      />
    </div>
  );
}
