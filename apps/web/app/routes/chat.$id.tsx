import { trpc } from '@atrium/ui';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, Link, useLoaderData, useOutletContext, useRouteError, useSearchParams } from '@remix-run/react';
import { useCallback, useEffect, useRef } from 'react';
import { useChatStreams } from '../chat/ChatStreams';
import { requireUser } from '../auth.server';
import { isActive, isSettled, mergeTurn, MESSAGES_PAGE, type DisplayItem } from '../chat/turn';
import { ChatHeader } from '../components/chat/ChatHeader';
import { ChatView } from '../components/chat/ChatView';
import { useRememberedChoices } from '../chat/choices';
import { ExportMenu } from '../components/chat/ExportMenu';
import { ShareButton } from '../components/chat/ShareDialog';
import { buttonClass } from '../components/chat/Dialog';
import { useWebT } from '../i18n';
import { useRootData, type RootLoader } from '../root-data';
import { useChatLayoutData, type ChatOutletContext } from './chat';

const STOPPED_REFETCH_MS = 750;
const STOPPED_REFETCHES = 20;

export const meta: MetaFunction<typeof loader, { root: RootLoader }> = ({ data, matches }) => {
  const product = matches.find((match) => match.id === 'root')?.data?.product ?? 'Atrium';
  return [{ title: data ? `${data.conversation.title} · ${product}` : product }];
};

/** The conversation and its newest messages, for the first paint. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  const id = params.id ?? '';
  try {
    const conversation = await context.trpc.chat.get({ id });
    // An answer still streaming (a reload mid-answer, on whichever server produces it): the page
    // follows it. Asked before the messages are read: an answer is saved in the same statement
    // that ends its lease, so one not running now is in the messages read next. Asked after, an
    // answer saved in between was in neither, and the page showed its question unanswered.
    const { answering } = await context.trpc.chat.answering({ conversationId: id });
    const messages = await context.trpc.chat.messages({ conversationId: id, limit: MESSAGES_PAGE });
    const ratings = await context.trpc.feedback.mine({ conversationId: id });
    return { conversation, messages, ratings, answering };
  } catch (error) {
    // Someone else's chat looks exactly like a missing one; so does a malformed id.
    const code = (error as { code?: string }).code;
    if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') throw new Response('Not found', { status: 404 });
    throw error;
  }
}

export default function ConversationPage() {
  const initial = useLoaderData<typeof loader>();
  // A fresh page per conversation: its draft and scroll position are its own.
  return <Conversation key={initial.conversation.id} initial={initial} />;
}

/** The answers after the last question: what Regenerate replaces. */
function answersAfterLastQuestion(items: DisplayItem[]): string[] {
  const ids: string[] = [];
  for (const item of [...items].reverse()) {
    if (item.kind === 'message' && item.message.role === 'user') break;
    if (item.kind === 'message') ids.push(item.message.id);
    if (item.kind === 'turn' && item.turn.message) ids.push(item.turn.message.id);
  }
  return ids;
}

function Conversation({ initial }: { initial: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const id = initial.conversation.id;
  const layout = useChatLayoutData();
  const { showSidebar } = useOutletContext<ChatOutletContext>();
  const streams = useChatStreams();
  const utils = trpc.useUtils();

  const conversation = trpc.chat.get.useQuery({ id }, { initialData: initial.conversation }).data;
  const pages = trpc.chat.messages.useInfiniteQuery(
    { conversationId: id, limit: MESSAGES_PAGE },
    { getNextPageParam: (page) => page.nextCursor, initialData: { pages: [initial.messages], pageParams: [null] } },
  );
  trpc.feedback.mine.useQuery({ conversationId: id }, { initialData: initial.ratings, staleTime: 60_000 });
  const models = trpc.models.list.useQuery(undefined, { initialData: layout.models }).data;
  const presets = trpc.presets.list.useQuery(undefined, { initialData: layout.presets }).data;

  // Pages come newest first, each oldest-first inside.
  const saved = [...(pages.data?.pages ?? [])].reverse().flatMap((page) => page.items);
  const turn = streams.turns[id];
  const streaming = isActive(turn);
  const items = mergeTurn(saved, turn);

  // Loaded while its answer streams and not followed here yet (a reload): follow it, once.
  // Only on arrival: a turn this page starts later is followed by its own stream.
  const { attach } = streams;
  const mustAttach = initial.answering && !turn;
  const attached = useRef(false);
  useEffect(() => {
    if (attached.current || !mustAttach) return;
    attached.current = true;
    attach(id);
  }, [mustAttach, attach, id]);

  // An answer that ended before this page showed it (a new chat moving to its page on a busy
  // server): the refresh at its end found no page to refresh, so its saved copy is fetched now.
  const endedBeforeArrival = useRef(turn !== undefined && !isActive(turn) && turn.phase !== 'stopped' && !isSettled(saved, turn));
  useEffect(() => {
    if (endedBeforeArrival.current) void utils.chat.messages.invalidate({ conversationId: id });
  }, [utils, id]);

  // A stopped answer is saved by the server after the browser let go of the stream: fetch the
  // list again until it holds it, so the saved answer (with its rating buttons) replaces the
  // live one without a reload.
  const waitingForStopped = turn?.phase === 'stopped' && !turn.message && !isSettled(saved, turn);
  useEffect(() => {
    if (!waitingForStopped) return;
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      void utils.chat.messages.invalidate({ conversationId: id });
      if (tries >= STOPPED_REFETCHES) clearInterval(timer);
    }, STOPPED_REFETCH_MS);
    return () => clearInterval(timer);
  }, [waitingForStopped, utils, id]);

  const preset = presets.find((candidate) => candidate.id === conversation.presetId);
  const shownModel = conversation.modelId ?? preset?.modelId ?? models[0]?.id ?? null;
  const modelName = (modelId: string) => models.find((model) => model.id === modelId)?.displayName ?? modelId;

  const update = (next: typeof conversation) => {
    utils.chat.get.setData({ id }, next);
    void utils.chat.conversations.invalidate();
  };
  const rename = trpc.chat.rename.useMutation({ onSuccess: update });
  const configure = trpc.chat.configure.useMutation({ onSuccess: update });
  // What I pick here is also what my next new chat starts with.
  const choices = useRememberedChoices();

  // Turning to another version shows another branch: the last turn's overlay belongs to the old one.
  const showBranch = () => {
    if (!streaming) streams.clear(id);
    void utils.chat.messages.invalidate({ conversationId: id });
    void utils.chat.get.invalidate({ id });
  };
  const switchBranch = trpc.chat.switchBranch.useMutation({ onSuccess: showBranch });
  const deleteBranch = trpc.chat.deleteBranch.useMutation({ onSuccess: showBranch });
  const versions = streaming
    ? undefined
    : {
        onSwitch: (messageId: string) => switchBranch.mutate({ conversationId: id, messageId }),
        onDelete: (messageId: string) => deleteBranch.mutate({ conversationId: id, messageId }),
      };

  // The title is written after the first answer: the tab follows without a reload.
  const product = useRootData()?.product ?? 'Atrium';
  useEffect(() => {
    document.title = `${conversation.title} · ${product}`;
  }, [conversation.title, product]);

  // A search result opens the chat at its message: scroll to it and mark it until the next one.
  const [searchParams] = useSearchParams();
  const target = searchParams.get('message');
  const shownIds = items.map((item) => (item.kind === 'message' ? item.message.id : '')).join();
  useEffect(() => {
    if (!target) return;
    const element = document.querySelector(`[data-message-id="${CSS.escape(target)}"]`);
    if (!element) return;
    element.scrollIntoView({ block: 'center' });
    element.setAttribute('data-found', '');
    return () => element.removeAttribute('data-found');
  }, [target, shownIds]);

  const { stop } = streams;
  const onStop = useCallback(() => stop(id), [stop, id]);
  const lastIsAnswerOrQuestion = items.length > 0;

  return (
    <ChatView
      draftKey={id}
      header={
        <ChatHeader
          title={rename.isPending ? rename.variables.title : conversation.title}
          group={conversation.group}
          onRename={(title) => rename.mutate({ id, title })}
          models={models}
          modelId={configure.isPending && configure.variables.modelId ? configure.variables.modelId : shownModel}
          onModelChange={(modelId) => {
            configure.mutate({ id, modelId });
            choices.save({ modelId });
          }}
          presets={presets}
          presetId={configure.isPending && configure.variables.presetId !== undefined ? configure.variables.presetId : conversation.presetId}
          onPresetChange={(presetId) => {
            configure.mutate({ id, presetId });
            choices.save({ presetId });
          }}
          busy={streaming}
          onShowSidebar={showSidebar}
          actions={
            <span className="inline-flex items-center gap-1">
              <ShareButton conversationId={id} />
              <ExportMenu conversationId={id} />
            </span>
          }
        />
      }
      items={items}
      actions={{ conversationId: id, modelName, assistant: layout.assistant, versions }}
      onRegenerate={
        !streaming && lastIsAnswerOrQuestion
          ? () => streams.regenerate({ conversationId: id, replacedIds: answersAfterLastQuestion(items) })
          : undefined
      }
      streaming={streaming}
      unavailable={models.length === 0}
      modelId={shownModel}
      onStop={onStop}
      onSend={(content, restore, attachmentIds) => streams.send({ conversationId: id, content, attachmentIds, onRejected: restore })}
      onEdit={
        streaming
          ? undefined
          : (messageId, content) => {
              // The edited question and everything after it give way to the new branch while it streams.
              const from = items.findIndex((item) => item.kind === 'message' && item.message.id === messageId);
              const replacedIds = items.slice(from).flatMap((item) => (item.kind === 'message' ? [item.message.id] : item.kind === 'turn' && item.turn.message ? [item.turn.message.id] : []));
              streams.send({ conversationId: id, content, editOf: messageId, replacedIds });
            }
      }
      hasEarlier={pages.hasNextPage}
      loadingEarlier={pages.isFetchingNextPage}
      onLoadEarlier={() => void pages.fetchNextPage()}
    />
  );
}

export function ErrorBoundary() {
  const t = useWebT();
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="mx-auto flex max-w-md flex-1 flex-col items-center justify-center px-4 text-center">
      <h1 className="text-lg font-semibold">{missing ? t('web.chat.errors.notFoundPage') : t('web.chat.errors.generic')}</h1>
      <Link to="/chat" className={`${buttonClass.primary} mt-6`}>
        {t('web.chat.sidebar.newChat')}
      </Link>
    </div>
  );
}
