import { AppShell, ErrorView, I18nProvider, NavItem, resolveLanguage, TrpcProvider, useNonce } from '@atrium/ui';
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
import { catalog, useWebT } from './i18n';
import { useRootData } from './root-data';
import stylesheet from './tailwind.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

/** Decided once per request on the server, so the HTML and the hydrated page agree. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const [{ product }, user] = await Promise.all([context.trpc.health.check(), context.trpc.auth.me()]);
  return { lang: resolveLanguage(request), product, user };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRootData();
  const lang = data?.lang ?? 'en';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
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
  const t = useWebT();
  const { pathname } = useLocation();
  // A route whose `handle` asks for it (the chat) fills the window like an app.
  const fill = useMatches().some((match) => (match.handle as { fill?: boolean } | undefined)?.fill === true);
  return (
    <AppShell
      product={product}
      fill={fill}
      actions={<AccountActions />}
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
