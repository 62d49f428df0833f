import { Panel, useLanguage } from '@atrium/ui';
import { formatDateTime } from '../../format';
import { useAdminT } from '../../i18n';

type Identity = { method: 'local' | 'ldap' | 'oidc' | 'saml'; issuer: string; subject: string; firstSeenAt: Date; lastSeenAt: Date };

/** Every way this person has signed in: one account, whichever method they used. */
export function IdentitiesPanel({ identities }: { identities: Identity[] }) {
  const t = useAdminT();
  const lang = useLanguage();
  return (
    <Panel id="identities" title={t('access.user.identities.title')} description={t('access.user.identities.description')}>
      {identities.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('access.user.identities.none')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="identities">
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">{t('access.user.identities.method')}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t('access.user.identities.issuer')}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t('access.user.identities.subject')}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t('access.user.identities.firstSeen')}</th>
                <th scope="col" className="py-2 font-medium">{t('access.user.identities.lastSeen')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {identities.map((identity) => (
                <tr key={`${identity.method}|${identity.issuer}|${identity.subject}`}>
                  <td className="py-2 pr-4 font-medium">{t(`access.user.identities.methods.${identity.method}`)}</td>
                  <td className="py-2 pr-4 font-mono text-xs break-all">{identity.issuer}</td>
                  <td className="py-2 pr-4 font-mono text-xs break-all">{identity.subject}</td>
                  <td className="py-2 pr-4">
                    <time dateTime={identity.firstSeenAt.toISOString()}>{formatDateTime(identity.firstSeenAt, lang)}</time>
                  </td>
                  <td className="py-2">
                    <time dateTime={identity.lastSeenAt.toISOString()}>{formatDateTime(identity.lastSeenAt, lang)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
