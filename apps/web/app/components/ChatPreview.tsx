import { Logo } from '@atrium/ui';
import { useWebT } from '../i18n';

/** A still picture of a conversation, so a visitor sees what the product does before signing in. */
export function ChatPreview({ product }: { product: string }) {
  const t = useWebT();
  return (
    <figure
      aria-label={t('web.preview.label')}
      className="rounded-2xl border border-zinc-200 bg-white/90 p-6 shadow-xl shadow-zinc-900/5 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90 dark:shadow-black/30"
    >
      <div className="flex justify-end">
        <p className="max-w-[85%] rounded-2xl rounded-br-md bg-accent-600 px-4 py-3 text-sm leading-6 text-white">{t('web.preview.question')}</p>
      </div>
      <div className="mt-5 flex gap-3">
        <Logo className="size-8 shrink-0" />
        <div>
          <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
            {product} · {t('web.preview.model')}
          </p>
          <p className="mt-1 rounded-2xl rounded-tl-md bg-zinc-100 px-4 py-3 text-sm leading-6 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
            {t('web.preview.answer')}
          </p>
        </div>
      </div>
    </figure>
  );
}
