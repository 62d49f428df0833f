import { createTranslator, isLanguage } from '@atrium/ui';
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet, useLoaderData, useRouteLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { useState } from 'react';
import { ChatStreamsProvider } from '../chat/ChatStreams';
import { ChatDraftsProvider } from '../chat/drafts';
import { requireUser } from '../auth.server';
import { PINNED_INPUT, RECENT_INPUT, Sidebar } from '../components/chat/Sidebar';
import { XIcon } from '../components/chat/icons';
import markdownStyles from '@atrium/ui/markdown.css?url';
import { catalog, useWebT } from '../i18n';
import type { RootLoader } from '../root-data';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: markdownStyles }];

/** The page fills the window under the header, like an app (see the root's Shell). */
export const handle = { fill: true };

export const meta: MetaFunction<unknown, { root: RootLoader }> = ({ matches }) => {
  const root = matches.find((match) => match.id === 'root')?.data;
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return [{ title: t('web.chat.metaTitle', { product: root?.product ?? 'Atrium' }) }];
};

/** What every chat page needs at first paint; afterwards the browser's query cache keeps it fresh. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  // One request, one EntityManager: the calls run one after another.
  const conversations = {
    recent: await context.trpc.chat.conversations(RECENT_INPUT),
    pinned: await context.trpc.chat.conversations(PINNED_INPUT),
  };
  const models = await context.trpc.models.list();
  const presets = await context.trpc.presets.list();
  const identity = await context.trpc.identity.get();
  const choices = await context.trpc.account.choices();
  return {
    user: { displayName: user.displayName },
    conversations,
    models,
    presets,
    choices,
    assistant: identity.displayName,
  };
}

// Moving between chats needs no new sidebar from the server: the query cache has it.
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) =>
  !formMethod && currentUrl.pathname.startsWith('/chat') && nextUrl.pathname.startsWith('/chat')
    ? false
    : defaultShouldRevalidate;

export type ChatLayoutData = ReturnType<typeof useLoaderData<typeof loader>>;
export const useChatLayoutData = () => useRouteLoaderData<typeof loader>('routes/chat')!;

export type ChatOutletContext = { showSidebar: () => void };

export default function ChatLayout() {
  const t = useWebT();
  const data = useLoaderData<typeof loader>();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  // A narrow screen shows the list as a drawer, closed again by choosing a chat.
  const drawerOpen = sidebarOpen;

  return (
    <ChatStreamsProvider>
      <ChatDraftsProvider>
        <div className="flex min-h-0 flex-1">
          {drawerOpen ? (
            <div
              aria-hidden="true"
              className="fixed inset-0 z-40 bg-zinc-950/40 md:hidden"
              onClick={() => setSidebarOpen(false)}
            />
          ) : null}
          <aside
            onKeyDown={(event) => {
              if (drawerOpen && event.key === 'Escape' && !event.defaultPrevented) setSidebarOpen(false);
            }}
            className={`${drawerOpen ? 'fixed inset-y-0 left-0 z-50 flex shadow-2xl' : 'hidden'} w-72 shrink-0 flex-col border-r border-zinc-200/80 bg-zinc-50 md:static md:z-auto md:flex md:shadow-none dark:border-zinc-800/80 dark:bg-zinc-900`}
          >
            {drawerOpen ? (
              <div className="flex justify-end px-3 pt-3 md:hidden">
                <button
                  type="button"
                  // The drawer was just opened on purpose: focus goes into it.
                  autoFocus
                  onClick={() => setSidebarOpen(false)}
                  className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                >
                  <XIcon className="size-5" />
                  <span className="sr-only">{t('web.chat.sidebar.hide')}</span>
                </button>
              </div>
            ) : null}
            <Sidebar initial={data.conversations} onNavigate={() => setSidebarOpen(false)} />
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <Outlet
              context={
                {
                  showSidebar: () => setSidebarOpen(true),
                } satisfies ChatOutletContext
              }
            />
          </div>
        </div>
      </ChatDraftsProvider>
    </ChatStreamsProvider>
  );
}
