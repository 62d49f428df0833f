import { buttonClass, LocalTime, Panel } from '@atrium/ui';
import type { RouterOutputs } from '@atrium/api';
import { Form, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { useAdminT } from '../../i18n';
import type { UserActionAnswer } from '../../users/user-actions.server';
import { FormStatus } from './FormStatus';

type Exports = RouterOutputs['account']['admin']['exports'];

/**
 * An administrator exports a user's data (audited, as is each download). The archive is this
 * administrator's to download until it expires; the page refreshes while one is being built.
 */
export function ExportUserPanel({ exports, answer }: { exports: Exports; answer: UserActionAnswer | undefined }) {
  const t = useAdminT();
  const busy = useNavigation().state !== 'idle';
  const revalidator = useRevalidator();
  const building = exports.some((row) => row.status === 'queued' || row.status === 'running');
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [building, revalidator]);

  return (
    <Panel id="export" title={t('access.user.export.title')} description={t('access.user.export.description')}>
      <FormStatus answer={answer} intents={['export']} />
      {exports.length ? (
        <ul className="mb-5 space-y-2 text-sm" data-testid="user-exports">
          {exports.map((row) => (
            <li key={row.id} className="flex flex-wrap items-center gap-3">
              <LocalTime value={row.createdAt} />
              <span>
                {row.status === 'running'
                  ? t('access.user.export.running', { done: String(row.progress), total: String(row.total) })
                  : t(`access.user.export.status.${row.status as 'queued' | 'ready' | 'failed' | 'expired'}`)}
              </span>
              {row.status === 'running' ? <progress max={Math.max(row.total, 1)} value={row.progress} aria-label={t('access.user.export.progress')} /> : null}
              {row.downloadUrl && row.expiresAt ? (
                <>
                  <a href={row.downloadUrl} download className={buttonClass('secondary', 'sm')}>
                    {t('access.user.export.download')}
                  </a>
                  <span className="text-zinc-500 dark:text-zinc-400">
                    {t('access.user.export.until')} <LocalTime value={row.expiresAt} />
                  </span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {building ? null : (
        <Form method="post">
          <input type="hidden" name="intent" value="export" />
          <button type="submit" className={buttonClass('secondary')} disabled={busy}>
            {t('access.user.export.request')}
          </button>
        </Form>
      )}
    </Panel>
  );
}
