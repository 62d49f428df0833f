import { lazy, Suspense, useState } from 'react';
import { useWebT } from '../../i18n';
import { Dialog } from './Dialog';
import { ShareIcon } from './icons';

/**
 * What the dialog shows is fetched when it is first wanted (the button hovered, focused or
 * pressed): a conversation's first paint needs only the button.
 */
const loadShareLinks = () => import('./ShareLinks');
const ShareLinks = lazy(() => loadShareLinks().then((module) => ({ default: module.ShareLinks })));

/** The header's share button: opens a dialog that makes, lists and revokes this chat's share links. */
export function ShareButton({ conversationId }: { conversationId: string }) {
  const t = useWebT();
  const [open, setOpen] = useState(false);
  const preload = () => void loadShareLinks();
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        onPointerEnter={preload}
        onFocus={preload}
        className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <ShareIcon className="size-5" />
        <span className="sr-only">{t('web.share.open')}</span>
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t('web.share.title')} description={t('web.share.lead')}>
        {open ? (
          <Suspense fallback={null}>
            <ShareLinks conversationId={conversationId} onClose={() => setOpen(false)} />
          </Suspense>
        ) : null}
      </Dialog>
    </>
  );
}
