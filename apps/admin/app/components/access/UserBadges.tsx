import { Badge } from '../Badge';
import { useAdminT } from '../../i18n';

export function RoleBadge({ role }: { role: 'student' | 'staff' | 'admin' }) {
  const t = useAdminT();
  return <Badge tone={role === 'admin' ? 'accent' : 'neutral'}>{t(`roles.${role}`)}</Badge>;
}

export function StatusBadge({ banned }: { banned: boolean }) {
  const t = useAdminT();
  return <Badge tone={banned ? 'danger' : 'success'}>{banned ? t('access.status.banned') : t('access.status.active')}</Badge>;
}

export function SourceLabel({ source }: { source: 'local' | 'ldap' | 'oidc' | 'saml' }) {
  const t = useAdminT();
  return <>{t(`access.sources.${source}`)}</>;
}
