import { useT } from '../i18n/i18n';
import { buttonClass } from './button-class';

export type SsoProvider = { id: string; protocol: 'oidc' | 'saml'; displayName: string; href: string };

/** Why a single sign-on attempt came back to the sign-in page (`/login?sso=<reason>`). */
export const SSO_REASONS = ['invalid', 'expired', 'replayed', 'not_allowed', 'admin_only', 'suspended', 'unavailable'] as const;
export type SsoReason = (typeof SSO_REASONS)[number];
export const ssoReason = (value: string | null): SsoReason | null => (SSO_REASONS.includes(value as SsoReason) ? (value as SsoReason) : null);

/**
 * "Sign in with …" for each configured identity provider: plain links, so they work without
 * JavaScript; the server sends the browser on to the provider and back to `redirectTo`.
 */
export function SsoButtons({ providers, redirectTo }: { providers: SsoProvider[]; redirectTo: string }) {
  const t = useT();
  if (!providers.length) return null;
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : '';
  return (
    <nav aria-label={t('sso.heading')} className="space-y-3">
      {providers.map((provider) => (
        // A full page load: the answer is a redirect to another site, not a Remix route.
        <a key={provider.id} href={`${provider.href}${query}`} className={`${buttonClass('secondary')} w-full`} data-sso={provider.id}>
          {t('sso.signInWith', { name: provider.displayName })}
        </a>
      ))}
      <p className="flex items-center gap-3 text-xs text-zinc-500 before:h-px before:flex-1 before:bg-zinc-200 after:h-px after:flex-1 after:bg-zinc-200 dark:text-zinc-400 dark:before:bg-zinc-800 dark:after:bg-zinc-800">
        {t('sso.or')}
      </p>
    </nav>
  );
}
