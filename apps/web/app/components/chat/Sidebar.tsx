import { trpc } from '@atrium/ui';
import { Link, NavLink, useNavigate, useParams } from '@remix-run/react';
import { keepPreviousData } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useId, useRef, useState } from 'react';
import { isActive } from '../../chat/turn';
import { useChatStreams } from '../../chat/ChatStreams';
import { flattenPages, groupConversations } from '../../chat/grouping';
import type { ConversationPage } from '../../chat/types';
import { useWebT } from '../../i18n';
import { buttonClass, Dialog, inputClass } from './Dialog';
import { ArchiveIcon, ChevronIcon, DotsIcon, FolderIcon, PencilIcon, PinIcon, PlusIcon, SearchIcon, TrashIcon, XIcon } from './icons';
import { Menu } from './Menu';
import { fitText } from '@atrium/db/text';

export const CONVERSATIONS_PAGE = 30;
/** What the list shows below the pinned chats (the loader fetches the same first page). */
export const RECENT_INPUT = { limit: CONVERSATIONS_PAGE, pinned: false };
/** Pinned chats are few: one page, shown above the rest. */
export const PINNED_INPUT = { limit: 100, pinned: true };

type Item = ConversationPage['items'][number];

/**
 * The conversation list: new chat, search, groups (collapsible) and "Recent", loaded page by
 * page as the list scrolls. Each chat has a menu to rename, move to a group or delete it.
 */
export function Sidebar({ initial, onNavigate }: { initial: { recent: ConversationPage; pinned: ConversationPage }; onNavigate?: () => void }) {
  const t = useWebT();
  const [query, setQuery] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const search = useDeferredValue(query.trim());
  const searching = search.length > 0;
  const list = trpc.chat.conversations.useInfiniteQuery(
    searching ? { limit: CONVERSATIONS_PAGE, search } : showArchived ? { limit: CONVERSATIONS_PAGE, archived: true } : RECENT_INPUT,
    {
      getNextPageParam: (page) => page.nextCursor,
      initialData: searching || showArchived ? undefined : { pages: [initial.recent], pageParams: [null] },
      placeholderData: keepPreviousData,
    },
  );
  const pinned = trpc.chat.conversations.useQuery(PINNED_INPUT, { initialData: initial.pinned }).data.items;
  const groups = trpc.chat.groups.useQuery();
  const items = flattenPages(list.data?.pages ?? []);
  const sections = searching ? [] : groupConversations(items, groups.data?.map((group) => group.name));
  const counts = new Map(groups.data?.map((group) => [group.name, group.count]));

  return (
    <nav aria-label={t('web.chat.sidebar.label')} className="flex h-full min-h-0 flex-col">
      <div className="space-y-3 p-3">
        <Link to="/chat" onClick={onNavigate} className={`${buttonClass.primary} w-full`}>
          <PlusIcon />
          {t('web.chat.sidebar.newChat')}
        </Link>
        <div className="relative">
          <label htmlFor="chat-search" className="sr-only">
            {t('web.chat.sidebar.search')}
          </label>
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" />
          <input
            id="chat-search"
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder={t('web.chat.sidebar.searchPlaceholder')}
            className={`${inputClass} pl-8 [&::-webkit-search-cancel-button]:hidden`}
          />
          {query ? (
            <button
              type="button"
              onClick={() => setQuery('')}
              aria-label={t('web.chat.sidebar.clearSearch')}
              className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-0.5 text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200"
            >
              <XIcon />
            </button>
          ) : null}
        </div>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-2 pb-3" data-testid="conversation-list">
        {showArchived && !searching ? (
          <section aria-labelledby="archived-heading" className="mt-1">
            <div className="flex items-center justify-between gap-2 px-2 py-1.5">
              <h2 id="archived-heading" className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                {t('web.chat.sidebar.archived')}
              </h2>
              <button type="button" className={buttonClass.ghost} onClick={() => setShowArchived(false)}>
                {t('web.chat.sidebar.backToChats')}
              </button>
            </div>
            {items.length === 0 && !list.isFetching ? (
              <p className="px-2 py-3 text-sm text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.noArchived')}</p>
            ) : (
              <ConversationList items={items} onNavigate={onNavigate} />
            )}
          </section>
        ) : searching ? (
          <>
            <section aria-label={t('web.chat.sidebar.results')}>
              <h2 className="px-2 py-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{t('web.chat.sidebar.chatsFound')}</h2>
              {items.length === 0 && !list.isFetching ? (
                <p className="px-2 py-2 text-sm text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.noResults', { query: search })}</p>
              ) : (
                <ConversationList items={items} onNavigate={onNavigate} />
              )}
            </section>
            <MessageHits query={search} onNavigate={onNavigate} />
          </>
        ) : items.length === 0 && pinned.length === 0 && (groups.data?.length ?? 0) === 0 ? (
          <p className="px-2 py-3 text-sm text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.empty')}</p>
        ) : (
          <>
            {pinned.length > 0 ? (
              <section aria-labelledby="pinned-heading" className="mt-2">
                <h2 id="pinned-heading" className="px-2 py-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                  {t('web.chat.sidebar.pinned')}
                </h2>
                <ConversationList items={pinned} onNavigate={onNavigate} />
              </section>
            ) : null}
            {sections.map((section) =>
            section.group === null ? (
              section.items.length > 0 ? (
                <section key="recent" aria-labelledby="recent-heading" className="mt-2">
                  <h2 id="recent-heading" className="px-2 py-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                    {t('web.chat.sidebar.recent')}
                  </h2>
                  <ConversationList items={section.items} onNavigate={onNavigate} />
                </section>
              ) : null
            ) : (
              <GroupSection key={section.group} name={section.group} count={counts.get(section.group)} items={section.items} onNavigate={onNavigate} />
            ),
            )}
          </>
        )}
        {list.hasNextPage ? (
          <LoadMore loading={list.isFetchingNextPage} onLoad={() => void list.fetchNextPage()} />
        ) : null}
        {!showArchived && !searching ? (
          <button type="button" className={`${buttonClass.ghost} mt-3 w-full justify-start py-2`} onClick={() => setShowArchived(true)}>
            <ArchiveIcon className="size-3.5" />
            {t('web.chat.sidebar.showArchived')}
          </button>
        ) : null}
      </div>
    </nav>
  );
}

/** Messages that contain the search words, each with its marked snippet; choosing one opens its chat at it. */
function MessageHits({ query, onNavigate }: { query: string; onNavigate?: (() => void) | undefined }) {
  const t = useWebT();
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const hits = trpc.chat.search.useQuery({ query }, { placeholderData: keepPreviousData, enabled: /[\p{L}\p{N}]/u.test(query) });
  const jump = trpc.chat.switchBranch.useMutation();
  const open = async (hit: { conversationId: string; messageId: string }) => {
    // The message may be on a branch not in view: the chat turns to it first.
    await jump.mutateAsync({ conversationId: hit.conversationId, messageId: hit.messageId }).catch(() => undefined);
    await utils.chat.messages.invalidate({ conversationId: hit.conversationId });
    onNavigate?.();
    navigate(`/chat/${hit.conversationId}?message=${hit.messageId}`);
  };
  const list = hits.data ?? [];
  return (
    <section aria-label={t('web.chat.sidebar.messagesFound')} className="mt-3">
      <h2 className="px-2 py-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{t('web.chat.sidebar.messagesFound')}</h2>
      {list.length === 0 && !hits.isFetching ? (
        <p className="px-2 py-2 text-sm text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.noMessages', { query })}</p>
      ) : (
        <ul className="space-y-0.5">
          {list.map((hit) => (
            <li key={hit.messageId}>
              <a
                href={`/chat/${hit.conversationId}?message=${hit.messageId}`}
                onClick={(event) => {
                  event.preventDefault();
                  void open(hit);
                }}
                className="block rounded-lg px-2.5 py-2 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/60"
              >
                <span className="flex items-center gap-2 text-xs font-medium text-zinc-500 dark:text-zinc-400">
                  <span className="truncate">{hit.conversationTitle}</span>
                  {hit.archived ? <span className="shrink-0 rounded bg-zinc-200 px-1.5 py-0.5 text-[0.65rem] dark:bg-zinc-800">{t('web.chat.sidebar.archivedBadge')}</span> : null}
                </span>
                <span className="mt-0.5 line-clamp-3 [overflow-wrap:anywhere]" data-testid="message-hit">
                  {hit.role === 'user' ? <span className="font-medium">{t('web.chat.sidebar.youSaid')}: </span> : null}
                  {hit.snippet.before ? '… ' : null}
                  {hit.snippet.parts.map((part, index) =>
                    part.match ? (
                      <mark key={index} className="rounded-sm bg-amber-200/80 px-0.5 text-inherit dark:bg-amber-500/30">
                        {part.text}
                      </mark>
                    ) : (
                      <span key={index}>{part.text}</span>
                    ),
                  )}
                  {hit.snippet.after ? ' …' : null}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function GroupSection({ name, count, items, onNavigate }: { name: string; count: number | undefined; items: Item[]; onNavigate?: () => void }) {
  const t = useWebT();
  const [open, setOpen] = useState(true);
  const listId = useId();
  return (
    <section className="mt-1" aria-label={name}>
      <h2>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen(!open)}
          className="flex w-full items-center gap-1.5 rounded-md px-2 py-1.5 text-left text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/70"
        >
          <ChevronIcon className={`size-4 shrink-0 text-zinc-400 transition-transform ${open ? '' : '-rotate-90'}`} />
          <FolderIcon className="size-4 shrink-0 text-zinc-400" />
          <span className="truncate">{name}</span>
          {count !== undefined ? <span className="ml-auto text-xs text-zinc-400 tabular-nums">{count}</span> : null}
        </button>
      </h2>
      <div id={listId} hidden={!open} className="pl-3">
        {items.length > 0 ? (
          <ConversationList items={items} onNavigate={onNavigate} />
        ) : (
          <p className="px-2 py-1.5 text-xs text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.emptyGroup')}</p>
        )}
      </div>
    </section>
  );
}

/** Loads the next page when it scrolls into view; a plain button for keyboards and screen readers. */
function LoadMore({ loading, onLoad }: { loading: boolean; onLoad: () => void }) {
  const t = useWebT();
  const ref = useRef<HTMLButtonElement>(null);
  const latest = useRef(onLoad);
  useEffect(() => {
    latest.current = onLoad;
  });
  useEffect(() => {
    const button = ref.current;
    if (!button) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) latest.current();
    });
    observer.observe(button);
    return () => observer.disconnect();
  }, []);
  return (
    <button ref={ref} type="button" onClick={onLoad} disabled={loading} className={`${buttonClass.ghost} mt-2 w-full justify-center py-2`}>
      {loading ? t('web.chat.sidebar.loading') : t('web.chat.sidebar.loadMore')}
    </button>
  );
}

function ConversationList({ items, onNavigate }: { items: Item[]; onNavigate?: (() => void) | undefined }) {
  return (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <ConversationItem key={item.id} item={item} onNavigate={onNavigate} />
      ))}
    </ul>
  );
}

function ConversationItem({ item, onNavigate }: { item: Item; onNavigate?: (() => void) | undefined }) {
  const t = useWebT();
  const { turns } = useChatStreams();
  const params = useParams();
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const [renaming, setRenaming] = useState(false);
  const [dialog, setDialog] = useState<'move' | 'delete' | null>(null);
  const answering = isActive(turns[item.id]);

  const afterChange = () => {
    void utils.chat.conversations.invalidate();
    void utils.chat.groups.invalidate();
  };
  const place = {
    onSuccess: (conversation: Item) => {
      utils.chat.get.setData({ id: conversation.id }, conversation);
      afterChange();
    },
  };
  const pin = trpc.chat.pin.useMutation(place);
  const archive = trpc.chat.archive.useMutation(place);
  const rename = trpc.chat.rename.useMutation({
    onSuccess: (conversation) => {
      utils.chat.get.setData({ id: conversation.id }, conversation);
      afterChange();
    },
  });
  const remove = trpc.chat.delete.useMutation({
    onSuccess: () => {
      setDialog(null);
      afterChange();
      if (params.id === item.id) navigate('/chat');
    },
  });

  if (renaming) {
    return (
      <li>
        <RenameForm
          title={item.title}
          onCancel={() => setRenaming(false)}
          onSave={(title) => {
            setRenaming(false);
            if (title !== item.title) rename.mutate({ id: item.id, title });
          }}
        />
      </li>
    );
  }

  return (
    <li className="group/item relative">
      <NavLink
        to={`/chat/${item.id}`}
        onClick={onNavigate}
        className={({ isActive: current }) =>
          `flex items-center gap-2 rounded-lg py-2 pr-9 pl-2.5 text-sm transition-colors ${
            current
              ? 'bg-zinc-200/70 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50'
              : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/60'
          }`
        }
      >
        {item.pinned ? <PinIcon className="size-3.5 shrink-0 text-zinc-400" aria-label={t('web.chat.sidebar.pinned')} /> : null}
        <span className="truncate">{rename.isPending ? rename.variables.title : item.title}</span>
        {item.archived ? (
          <span className="ml-auto shrink-0 rounded bg-zinc-200 px-1.5 py-0.5 text-[0.65rem] font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {t('web.chat.sidebar.archivedBadge')}
          </span>
        ) : null}
        {answering ? (
          <span className="ml-auto flex shrink-0 items-center" title={t('web.chat.sidebar.answering')}>
            <span className="size-2 animate-pulse rounded-full bg-accent-500" />
            <span className="sr-only">{t('web.chat.sidebar.answering')}</span>
          </span>
        ) : null}
      </NavLink>
      <div className="absolute top-1/2 right-1 -translate-y-1/2 opacity-0 group-focus-within/item:opacity-100 group-hover/item:opacity-100 has-[[aria-expanded=true]]:opacity-100 [@media(hover:none)]:opacity-100">
        <Menu
          label={t('web.chat.item.actions', { title: item.title })}
          trigger={<DotsIcon />}
          className="rounded-md p-1 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
          items={[
            { label: t('web.chat.item.rename'), icon: <PencilIcon />, onSelect: () => setRenaming(true) },
            ...(item.archived
              ? []
              : [
                  item.pinned
                    ? { label: t('web.chat.item.unpin'), icon: <PinIcon />, onSelect: () => pin.mutate({ id: item.id, pinned: false }) }
                    : { label: t('web.chat.item.pin'), icon: <PinIcon />, onSelect: () => pin.mutate({ id: item.id, pinned: true }) },
                ]),
            { label: t('web.chat.item.move'), icon: <FolderIcon />, onSelect: () => setDialog('move') },
            item.archived
              ? { label: t('web.chat.item.restore'), icon: <ArchiveIcon />, onSelect: () => archive.mutate({ id: item.id, archived: false }) }
              : { label: t('web.chat.item.archive'), icon: <ArchiveIcon />, onSelect: () => archive.mutate({ id: item.id, archived: true }) },
            { label: t('web.chat.item.delete'), icon: <TrashIcon />, onSelect: () => setDialog('delete'), danger: true },
          ]}
        />
      </div>
      <MoveDialog open={dialog === 'move'} conversation={item} onClose={() => setDialog(null)} onMoved={afterChange} />
      <Dialog
        open={dialog === 'delete'}
        onClose={() => setDialog(null)}
        title={t('web.chat.remove.title')}
        description={t('web.chat.remove.body', { title: item.title })}
      >
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={() => setDialog(null)}>
            {t('web.chat.dialog.cancel')}
          </button>
          <button type="button" className={buttonClass.danger} disabled={remove.isPending} onClick={() => remove.mutate({ id: item.id })}>
            {t('web.chat.remove.confirm')}
          </button>
        </div>
      </Dialog>
    </li>
  );
}

function RenameForm({ title, onSave, onCancel }: { title: string; onSave: (title: string) => void; onCancel: () => void }) {
  const t = useWebT();
  const [value, setValue] = useState(title);
  const done = useRef(false);
  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    const next = value.trim();
    if (save && next) onSave(fitText(next, 255));
    else onCancel();
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        finish(true);
      }}
    >
      <input
        autoFocus
        aria-label={t('web.chat.item.renameLabel', { title })}
        value={value}
        maxLength={255}
        onChange={(event) => setValue(event.target.value)}
        onFocus={(event) => event.target.select()}
        onBlur={() => finish(true)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            finish(false);
          }
        }}
        className={`${inputClass} py-1.5`}
      />
    </form>
  );
}

/** Moves a chat into an existing group, a new one, or out of its group. */
export function MoveDialog({
  open,
  conversation,
  onClose,
  onMoved,
}: {
  open: boolean;
  conversation: { id: string; group: string | null };
  onClose: () => void;
  onMoved?: () => void;
}) {
  const t = useWebT();
  const groups = trpc.chat.groups.useQuery(undefined, { enabled: open });
  const utils = trpc.useUtils();
  const NEW = '\u0000new';
  const NONE = '';
  const [choice, setChoice] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const selected = choice ?? conversation.group ?? NONE;
  const regroup = trpc.chat.regroup.useMutation({
    onSuccess: (updated) => {
      utils.chat.get.setData({ id: updated.id }, updated);
      onMoved?.();
      close();
    },
  });
  const close = () => {
    setChoice(null);
    setName('');
    setError(null);
    onClose();
  };
  const names = groups.data?.map((group) => group.name) ?? (conversation.group ? [conversation.group] : []);

  return (
    <Dialog open={open} onClose={close} title={t('web.chat.move.title')} description={t('web.chat.move.lead')}>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (selected === NEW && !name.trim()) return setError(t('web.chat.move.newGroupRequired'));
          regroup.mutate({ id: conversation.id, group: selected === NEW ? name.trim() : selected === NONE ? null : selected });
        }}
      >
        <div>
          <label htmlFor={`group-${conversation.id}`} className="mb-1.5 block text-sm font-medium">
            {t('web.chat.move.group')}
          </label>
          <select id={`group-${conversation.id}`} value={selected} onChange={(event) => setChoice(event.target.value)} className={inputClass}>
            <option value={NONE}>{t('web.chat.move.none')}</option>
            {names.map((group) => (
              <option key={group} value={group}>
                {group}
              </option>
            ))}
            <option value={NEW}>{t('web.chat.move.newGroupOption')}</option>
          </select>
        </div>
        {selected === NEW ? (
          <div>
            <label htmlFor={`new-group-${conversation.id}`} className="mb-1.5 block text-sm font-medium">
              {t('web.chat.move.newGroup')}
            </label>
            <input
              id={`new-group-${conversation.id}`}
              value={name}
              maxLength={120}
              onChange={(event) => {
                setName(event.target.value);
                setError(null);
              }}
              placeholder={t('web.chat.move.newGroupPlaceholder')}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `new-group-error-${conversation.id}` : undefined}
              className={inputClass}
            />
            {error ? (
              <p id={`new-group-error-${conversation.id}`} className="mt-1.5 text-sm text-red-600 dark:text-red-400">
                {error}
              </p>
            ) : null}
          </div>
        ) : null}
        {regroup.error ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {t('web.chat.errors.generic')}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={close}>
            {t('web.chat.dialog.cancel')}
          </button>
          <button type="submit" className={buttonClass.primary} disabled={regroup.isPending}>
            {t('web.chat.move.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
