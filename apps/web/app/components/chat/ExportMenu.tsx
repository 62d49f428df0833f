import { trpc } from '@atrium/ui';
import { useState } from 'react';
import { useWebT } from '../../i18n';
import { DotsIcon } from './icons';
import { Menu } from './Menu';

/** Downloads the chat (the branch in view) as Markdown or JSON, made by the server. */
export function ExportMenu({ conversationId }: { conversationId: string }) {
  const t = useWebT();
  const utils = trpc.useUtils();
  const [failed, setFailed] = useState(false);
  const download = async (format: 'markdown' | 'json') => {
    setFailed(false);
    try {
      const file = await utils.client.chat.export.query({ id: conversationId, format });
      const url = URL.createObjectURL(new Blob([file.content], { type: `${file.mimeType};charset=utf-8` }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setFailed(true);
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Menu
        label={t('web.chat.header.export')}
        trigger={<DotsIcon />}
        className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        items={[
          { label: t('web.chat.header.exportMarkdown'), onSelect: () => void download('markdown') },
          { label: t('web.chat.header.exportJson'), onSelect: () => void download('json') },
        ]}
      />
      {failed ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {t('web.chat.header.exportFailed')}
        </span>
      ) : null}
    </span>
  );
}
