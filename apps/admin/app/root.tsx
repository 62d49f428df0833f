import { AppShell, ErrorView, I18nProvider, isLanguage, resolveTheme, useSaveLook, resolveLanguage, TrpcProvider, useNonce } from '@atrium/ui';
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from '@remix-run/react';
import type { ReactNode } from 'react';
import { AccessDenied } from './components/access/AccessDenied';
import { AdminAccount } from './components/access/AdminAccount';
import { AdminNav } from './components/AdminNav';
import { catalog, useAdminT } from './i18n';
import { useRootData } from './root-data';
import stylesheet from './tailwind.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

/** Decided once per request on the server, so the HTML and the hydrated page agree. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const [{ product }, user] = await Promise.all([context.trpc.health.check(), context.trpc.auth.me()]);
  return { ...lookOf(request, user), product, user };
}

/** A signed-in user's saved language and theme win over this browser's: a new device opens the same way. */
function lookOf(request: Request, user: { language: string | null; theme: 'system' | 'light' | 'dark' } | null) {
  return {
    lang: isLanguage(user?.language) ? user.language : resolveLanguage(request),
    theme: user ? user.theme : resolveTheme(request),
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRootData();
  const lang = data?.lang ?? 'en';
  return (
    <html lang={lang} data-theme={data?.theme ?? 'system'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider lang={lang} catalog={catalog}>
          {/* A fresh query cache per account: nothing of one user's data survives a sign-out. */}
          <TrpcProvider key={data?.user?.id ?? 'signed-out'}>
            <Shell product={data?.product ?? 'Atrium'}>{children}</Shell>
          </TrpcProvider>
        </I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Shell({ product, children }: { product: string; children: ReactNode }) {
  const t = useAdminT();
  // Sign-in and "administrators only" pages show no admin sections.
  const root = useRootData();
  const isAdmin = root?.user?.role === 'admin';
  const onChoose = useSaveLook(Boolean(root?.user));
  return (
    <AppShell
      product={product}
      width="wide"
      theme={root?.theme ?? 'system'}
      onChoose={onChoose}
      actions={<AdminAccount />}
      tag={
        <span className="rounded-md bg-zinc-900 px-1.5 py-0.5 text-xs font-semibold text-white dark:bg-white dark:text-zinc-900">
          {t('admin.tag')}
        </span>
      }
    >
      {isAdmin ? (
        <div className="mx-auto grid w-full max-w-7xl grid-cols-1 gap-8 px-4 py-8 sm:px-6 lg:grid-cols-[14rem_minmax(0,1fr)] lg:px-8">
          <aside className="min-w-0 lg:sticky lg:top-24 lg:self-start">
            <AdminNav />
          </aside>
          <div className="min-w-0">{children}</div>
        </div>
      ) : (
        children
      )}
    </AppShell>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) return <AccessDenied />;
  return <ErrorView status={isRouteErrorResponse(error) ? error.status : undefined} />;
}
