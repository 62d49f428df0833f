import { Markdown, useLanguage } from '@atrium/ui';
import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from '@remix-run/react';
import { loginPath } from '../auth.server';
import { buttonClass } from '../components/chat/Dialog';
import markdownStyles from '@atrium/ui/markdown.css?url';
import { useWebT } from '../i18n';
import type { RootLoader } from '../root-data';

/**
 * A shared chat, read-only. The page carries the snapshot and nothing of the viewer: the root
 * loader leaves the account out on this path, and the page is neither cached nor indexed.
 */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: markdownStyles }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  try {
    return await context.trpc.shares.open({ id: params.id ?? '' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'UNAUTHORIZED') throw new Response(null, { status: 302, headers: { Location: loginPath(request) } });
    if (code === 'NOT_FOUND' || code === 'BAD_REQUEST' || code === 'FORBIDDEN') throw new Response('Not found', { status: 404 });
    throw error;
  }
}

export const headers: HeadersFunction = () => ({
  'Cache-Control': 'private, no-store',
  // The link is the key: links inside answers must not carry it to other sites.
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
});

export const meta: MetaFunction<typeof loader, { root: RootLoader }> = ({ data, matches }) => {
  const product = matches.find((match) => match.id === 'root')?.data?.product ?? 'Atrium';
  return [{ title: data ? `${data.title} · ${product}` : product }, { name: 'robots', content: 'noindex, nofollow' }];
};

export default function SharedChat() {
  const share = useLoaderData<typeof loader>();
  const t = useWebT();
  const lang = useLanguage();
  const sharedAt = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(share.sharedAt));
  return (
    <article className="mx-auto w-full max-w-3xl px-4 py-8">
      <header className="border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <p className="text-xs font-semibold tracking-wide text-accent-700 uppercase dark:text-accent-300">{t('web.share.page.badge')}</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight" data-testid="shared-title">
          {share.title}
        </h1>
        <p className="mt-1 text-sm text-zinc-500">{t('web.share.page.sharedAt', { date: sharedAt })}</p>
      </header>
      <ol className="mt-6 space-y-6">
        {share.messages.map((message, index) => (
          <li key={index} data-testid="shared-message" data-role={message.role}>
            <h2 className="text-xs font-semibold text-zinc-500 dark:text-zinc-400">
              {message.role === 'user' ? t('web.share.page.you') : t('web.share.page.assistant')}
              {message.role === 'assistant' && message.model ? ` · ${t('web.share.page.model', { model: message.model })}` : ''}
            </h2>
            {message.role === 'user' ? (
              <p className="mt-1 rounded-2xl bg-zinc-100 px-4 py-3 whitespace-pre-wrap dark:bg-zinc-800">{message.content}</p>
            ) : (
              <div className="mt-1">
                <Markdown text={message.content} />
              </div>
            )}
          </li>
        ))}
      </ol>
      <footer className="mt-10 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <Link to="/chat" className={buttonClass.primary}>
          {t('web.share.page.start')}
        </Link>
      </footer>
    </article>
  );
}

export function ErrorBoundary() {
  const t = useWebT();
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="mx-auto flex max-w-md flex-1 flex-col items-center justify-center px-4 py-16 text-center">
      <h1 className="text-lg font-semibold">{missing ? t('web.share.page.notFound') : t('web.chat.errors.generic')}</h1>
      {missing ? <p className="mt-2 text-sm text-zinc-500">{t('web.share.page.notFoundLead')}</p> : null}
      <Link to="/chat" className={`${buttonClass.primary} mt-6`}>
        {t('web.share.page.start')}
      </Link>
    </div>
  );
}
