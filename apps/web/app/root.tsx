import {
  AppShell,
  ErrorView,
  I18nProvider,
  isLanguage,
  NavItem,
  resolveLanguage,
  resolveTheme,
  useSaveLook,
  TrpcProvider,
  useNonce,
  type Language,
} from '@atrium/ui';
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { AccountActions } from './components/auth/AccountActions';
import { catalog, loadCatalog, useLoadedLanguage, useWebT } from './i18n';
import { useRootData } from './root-data';
import { pageStringGroups } from './i18n/groups';
import { stringsChunks } from './strings-chunks.server';
import stylesheet from './tailwind.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

/** Decided once per request on the server, so the HTML and the hydrated page agree. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  // A shared chat's page carries nothing of whoever opens it: not even the account menu.
  const { pathname } = new URL(request.url);
  const anonymousPage = isSharedPage(pathname);
  const [{ product }, user] = await Promise.all([
    context.trpc.health.check(),
    anonymousPage ? null : context.trpc.auth.me(),
  ]);
  const look = lookOf(request, user);
  return { ...look, product, user, stringsChunks: stringsChunks(look.lang, pageStringGroups(pathname)) };
}

const isSharedPage = (pathname: string) => pathname.startsWith('/shared/');

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
  // Shown in the language loaded so far until a newly chosen one's strings arrive.
  const lang = useLoadedLanguage(data?.lang ?? 'en');
  return (
    <html lang={lang} data-theme={data?.theme ?? 'system'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* The page's strings, fetched with the rest of its JavaScript: hydration waits for them. */}
        {data?.stringsChunks.map((href) => <link key={href} rel="modulepreload" href={href} />)}
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
  const t = useWebT();
  const { pathname } = useLocation();
  // A route whose `handle` asks for it (the chat) fills the window like an app.
  const fill = useMatches().some((match) => (match.handle as { fill?: boolean } | undefined)?.fill === true);
  const root = useRootData();
  const save = useSaveLook(Boolean(root?.user));
  // The new language's strings are fetched while the choice is saved, so the page switches in one step.
  const onChoose = {
    ...save,
    language: async (lang: Language) =>
      void (await Promise.all([loadCatalog(lang).catch(() => undefined), save?.language?.(lang)])),
  };
  return (
    <AppShell
      product={product}
      fill={fill}
      theme={root?.theme ?? 'system'}
      onChoose={onChoose}
      actions={isSharedPage(pathname) ? null : <AccountActions />}
      nav={
        <>
          <NavItem to="/" current={pathname === '/'}>
            {t('web.nav.home')}
          </NavItem>
          <NavItem to="/chat" current={pathname.startsWith('/chat')}>
            {t('web.chat.nav')}
          </NavItem>
        </>
      }
    >
      {children}
    </AppShell>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorView status={isRouteErrorResponse(error) ? error.status : undefined} />;
}
