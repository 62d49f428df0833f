import { Link } from '@remix-run/react';
import { useId, useState, type ReactNode } from 'react';
import type { ChatModel, ChatPreset } from '../../chat/types';
import { useWebT } from '../../i18n';
import { buttonClass, inputClass } from './Dialog';
import { FolderIcon, PencilIcon, SidebarIcon } from './icons';
import { fitText } from '@atrium/db/text';

const selectClass =
  'rounded-lg border border-zinc-300 bg-white py-1.5 pr-8 pl-2.5 text-sm text-zinc-800 shadow-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/30 focus:outline-none disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

type ChatHeaderProps = {
  /** The conversation's title; null on the new-chat page. */
  title: string | null;
  group?: string | null;
  onRename?: (title: string) => void;
  models: ChatModel[];
  modelId: string | null;
  onModelChange: (modelId: string) => void;
  presets: ChatPreset[];
  presetId: string | null;
  onPresetChange: (presetId: string | null) => void;
  /** Settings wait while an answer streams. */
  busy?: boolean;
  onShowSidebar: () => void;
  /** What the chat offers besides its settings (export). */
  actions?: ReactNode;
};

/** The chat's title (click to rename), and the model and style its next answers use. */
export function ChatHeader(props: ChatHeaderProps) {
  const t = useWebT();
  const { models, modelId, presets, presetId, busy = false } = props;
  const modelSelect = useId();
  const presetSelect = useId();
  const demoHint = useId();
  const model = models.find((candidate) => candidate.id === modelId);
  const globalPresets = presets.filter((preset) => preset.isGlobal);
  const myStyles = presets.filter((preset) => !preset.isGlobal);

  return (
    <header className="border-b border-zinc-200/80 bg-white/60 px-4 py-2.5 backdrop-blur sm:px-6 dark:border-zinc-800/80 dark:bg-zinc-950/40">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <button
          type="button"
          onClick={props.onShowSidebar}
          className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 md:hidden dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <SidebarIcon className="size-5" />
          <span className="sr-only">{t('web.chat.sidebar.show')}</span>
        </button>
        <div className="flex min-w-0 flex-1 items-center gap-2">
          {props.title === null ? (
            <h1 className="truncate text-base font-semibold tracking-tight">{t('web.chat.sidebar.newChat')}</h1>
          ) : (
            <EditableTitle title={props.title} onRename={props.onRename} />
          )}
          {props.group ? (
            <span className="hidden shrink-0 items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-600 sm:inline-flex dark:bg-zinc-800 dark:text-zinc-300" data-testid="chat-group">
              <FolderIcon className="size-3.5" />
              <span className="sr-only">{t('web.chat.header.group', { group: props.group })}</span>
              <span aria-hidden="true">{props.group}</span>
            </span>
          ) : null}
          {props.actions ? (
            <span className="shrink-0">{props.actions}</span>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <div className="flex items-center gap-1.5">
            <label htmlFor={modelSelect} className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
              {t('web.chat.header.model')}
            </label>
            {models.length === 0 ? (
              <span className="text-sm text-red-600 dark:text-red-400">{t('web.chat.header.noModels')}</span>
            ) : (
              <select
                id={modelSelect}
                value={modelId ?? ''}
                disabled={busy}
                onChange={(event) => props.onModelChange(event.target.value)}
                aria-describedby={model?.provider === 'demo' ? demoHint : undefined}
                className={selectClass}
              >
                {models.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.displayName}
                  </option>
                ))}
              </select>
            )}
            {model?.provider === 'demo' ? (
              <span
                title={t('web.chat.header.demoHint')}
                data-testid="demo-badge"
                className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-800 ring-1 ring-amber-200 ring-inset dark:bg-amber-950/60 dark:text-amber-300 dark:ring-amber-900"
              >
                {t('web.chat.header.demoBadge')}
                <span id={demoHint} className="sr-only">
                  {t('web.chat.header.demoHint')}
                </span>
              </span>
            ) : null}
          </div>
          <div className="flex items-center gap-1.5">
            <label htmlFor={presetSelect} className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
              {t('web.chat.header.style')}
            </label>
            <select
              id={presetSelect}
              value={presetId ?? ''}
              disabled={busy}
              onChange={(event) => props.onPresetChange(event.target.value || null)}
              className={`${selectClass} max-w-44`}
            >
              <option value="">{t('web.chat.header.defaultStyle')}</option>
              {globalPresets.length > 0 ? (
                <optgroup label={t('web.chat.header.presets')}>
                  {globalPresets.map((preset) => (
                    <option key={preset.id} value={preset.id}>
                      {preset.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {myStyles.length > 0 ? (
                <optgroup label={t('web.chat.header.myStyles')}>
                  {myStyles.map((preset) => (
                    <option key={preset.id} value={preset.id}>
                      {preset.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
            <Link to="/styles" className="text-xs font-medium text-accent-700 hover:underline dark:text-accent-300">
              {t('web.chat.header.manageStyles')}
            </Link>
          </div>
        </div>
      </div>
    </header>
  );
}

function EditableTitle({ title, onRename }: { title: string; onRename?: ((title: string) => void) | undefined }) {
  const t = useWebT();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(title);
  const inputId = useId();

  if (!editing) {
    return (
      <>
        <h1 className="truncate text-base font-semibold tracking-tight" data-testid="chat-title">
          {title}
        </h1>
        {onRename ? (
          <button
            type="button"
            onClick={() => {
              setValue(title);
              setEditing(true);
            }}
            className="shrink-0 rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
          >
            <PencilIcon />
            <span className="sr-only">{t('web.chat.header.editTitle')}</span>
          </button>
        ) : null}
      </>
    );
  }

  const save = () => {
    const next = value.trim();
    setEditing(false);
    if (next && next !== title) onRename?.(fitText(next, 255));
  };
  return (
    <form
      className="flex min-w-0 flex-1 items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label htmlFor={inputId} className="sr-only">
        {t('web.chat.header.titleLabel')}
      </label>
      <input
        id={inputId}
        autoFocus
        value={value}
        maxLength={255}
        onChange={(event) => setValue(event.target.value)}
        onFocus={(event) => event.target.select()}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            setEditing(false);
          }
        }}
        className={`${inputClass} max-w-md py-1.5 font-semibold`}
      />
      <button type="submit" className={`${buttonClass.primary} py-1.5`}>
        {t('web.chat.header.save')}
      </button>
      <button type="button" onClick={() => setEditing(false)} className={`${buttonClass.secondary} py-1.5`}>
        {t('web.chat.header.cancel')}
      </button>
    </form>
  );
}
