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
import { ChevronIcon, DotsIcon, FolderIcon, PencilIcon, PlusIcon, SearchIcon, TrashIcon, XIcon } from './icons';
import { Menu } from './Menu';
import { fitText } from '@atrium/db/text';

export const CONVERSATIONS_PAGE = 30;

type Item = ConversationPage['items'][number];

/**
 * The conversation list: new chat, search, groups (collapsible) and "Recent", loaded page by
 * page as the list scrolls. Each chat has a menu to rename, move to a group or delete it.
 */
export function Sidebar({ initial, onNavigate }: { initial: ConversationPage; onNavigate?: () => void }) {
  const t = useWebT();
  const [query, setQuery] = useState('');
  const search = useDeferredValue(query.trim());
  const searching = search.length > 0;
  const list = trpc.chat.conversations.useInfiniteQuery(
    { limit: CONVERSATIONS_PAGE, ...(searching ? { search } : {}) },
    {
      getNextPageParam: (page) => page.nextCursor,
      initialData: searching ? undefined : { pages: [initial], pageParams: [null] },
      placeholderData: keepPreviousData,
    },
  );
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
        {searching ? (
          <section aria-label={t('web.chat.sidebar.results')}>
            {items.length === 0 && !list.isFetching ? (
              <p className="px-2 py-3 text-sm text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.noResults', { query: search })}</p>
            ) : (
              <ConversationList items={items} onNavigate={onNavigate} />
            )}
          </section>
        ) : items.length === 0 && (groups.data?.length ?? 0) === 0 ? (
          <p className="px-2 py-3 text-sm text-zinc-500 dark:text-zinc-400">{t('web.chat.sidebar.empty')}</p>
        ) : (
          sections.map((section) =>
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
          )
        )}
        {list.hasNextPage ? (
          <LoadMore loading={list.isFetchingNextPage} onLoad={() => void list.fetchNextPage()} />
        ) : null}
      </div>
    </nav>
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
        <span className="truncate">{rename.isPending ? rename.variables.title : item.title}</span>
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
            { label: t('web.chat.item.move'), icon: <FolderIcon />, onSelect: () => setDialog('move') },
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
