import { trpc } from '@atrium/ui';
import { useLocation, useNavigate, useOutletContext } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { NEW_CHAT, useChatStreams } from '../chat/ChatStreams';
import { isActive, mergeTurn, type DisplayItem } from '../chat/turn';
import { ChatHeader } from '../components/chat/ChatHeader';
import { ChatView } from '../components/chat/ChatView';
import { useRememberedChoices } from '../chat/choices';
import { useWebT } from '../i18n';
import { useChatLayoutData, type ChatOutletContext } from './chat';

const SUGGESTIONS = ['explain', 'outline', 'code', 'practice'] as const;

/**
 * A new chat: pick a model and a style, then ask. The first question creates the conversation
 * (`chat.send` without an id); when the server confirms it, the page moves to `/chat/:id` while
 * the answer keeps streaming.
 */
export default function NewChat() {
  const t = useWebT();
  const layout = useChatLayoutData();
  const { showSidebar } = useOutletContext<ChatOutletContext>();
  const streams = useChatStreams();
  const navigate = useNavigate();
  const models = trpc.models.list.useQuery(undefined, { initialData: layout.models }).data;
  const presets = trpc.presets.list.useQuery(undefined, { initialData: layout.presets }).data;
  // A new chat starts with the model and style picked last (kept only while still usable).
  const choices = useRememberedChoices();
  const [modelId, setModelId] = useState<string | null>(() => (models.some((model) => model.id === choices.modelId) ? choices.modelId : null));
  const [presetId, setPresetId] = useState<string | null>(() => (presets.some((preset) => preset.id === choices.presetId) ? choices.presetId : null));
  // The turn this page started: it moves to its conversation's key once the server names it.
  const [startedIn, setStartedIn] = useState<string | null>(null);
  // Exchanges already in view when a follow-up is sent from here (see onSend).
  const [earlier, setEarlier] = useState<DisplayItem[]>([]);
  // "New chat" asked for while this page's chat was still moving to its own page (a busy server, a
  // quick answer) replaces that move with a visit to /chat: the same route, so this page stays.
  // That chat is not this visit's: without this, /chat showed it, and after every "New chat".
  const { key: visit } = useLocation();
  const [shownVisit, setShownVisit] = useState(visit);
  if (shownVisit !== visit) {
    setShownVisit(visit);
    setStartedIn(null);
    setEarlier([]);
  }

  // A refused or stopped new chat from an earlier visit does not belong on a fresh page.
  const { clear } = streams;
  const leftover = streams.turns[NEW_CHAT];
  const stale = leftover !== undefined && !isActive(leftover);
  useEffect(() => {
    if (stale) clear(NEW_CHAT);
    // Only as the page opens: a refusal on this visit stays in view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const preset = presets.find((candidate) => candidate.id === presetId);
  const shownModel = modelId ?? preset?.modelId ?? models[0]?.id ?? null;
  const turn = streams.turns[NEW_CHAT] ?? (startedIn ? streams.turns[startedIn] : undefined);
  const items = [...earlier, ...(turn ? mergeTurn([], turn) : [])];
  const modelName = (id: string) => models.find((model) => model.id === id)?.displayName ?? id;

  return (
    <ChatView
      draftKey={startedIn ?? NEW_CHAT}
      header={
        <ChatHeader
          title={null}
          models={models}
          modelId={shownModel}
          onModelChange={(id) => {
            setModelId(id);
            choices.save({ modelId: id });
          }}
          presets={presets}
          presetId={presetId}
          onPresetChange={(id) => {
            setPresetId(id);
            choices.save({ presetId: id });
          }}
          busy={isActive(turn)}
          onShowSidebar={showSidebar}
        />
      }
      items={items}
      actions={{ conversationId: null, modelName, assistant: layout.assistant }}
      streaming={isActive(turn)}
      unavailable={models.length === 0}
      modelId={shownModel}
      onStop={() => streams.stop(turn === streams.turns[NEW_CHAT] ? NEW_CHAT : (startedIn ?? NEW_CHAT))}
      onSend={(content, restore, attachmentIds) => {
        if (startedIn) {
          // The chat has its id but its page is still on the way (a busy server, and the answer was
          // quicker): the question follows up in that chat, as it would on its page.
          setEarlier(items);
          streams.send({ conversationId: startedIn, content, attachmentIds, onRejected: restore });
          return;
        }
        streams.send({
          content,
          modelId,
          presetId,
          attachmentIds,
          onStarted: (conversation) => {
            setStartedIn(conversation.id);
            navigate(`/chat/${conversation.id}`);
          },
          onRejected: restore,
        });
      }}
      empty={(send) => (
        <div className="mx-auto flex max-w-2xl flex-col items-center pt-[8vh] text-center">
          <h2 className="text-2xl font-semibold tracking-tight text-balance sm:text-3xl">{t('web.chat.empty.heading', { assistant: layout.assistant })}</h2>
          <p className="mt-3 text-pretty text-zinc-600 dark:text-zinc-400">{t('web.chat.empty.lead')}</p>
          <section aria-label={t('web.chat.empty.suggestions')} className="mt-8 grid w-full gap-3 sm:grid-cols-2">
            {SUGGESTIONS.map((key) => {
              const prompt = t(`web.chat.empty.prompts.${key}`);
              return (
                <button
                  key={key}
                  type="button"
                  disabled={models.length === 0}
                  onClick={() => send(prompt)}
                  className="rounded-xl border border-zinc-200 bg-white px-4 py-3 text-left text-sm text-zinc-700 shadow-sm transition-colors hover:border-accent-300 hover:bg-accent-50/50 disabled:opacity-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:border-accent-800 dark:hover:bg-accent-950/30"
                >
                  {prompt}
                </button>
              );
            })}
          </section>
        </div>
      )}
    />
  );
}
