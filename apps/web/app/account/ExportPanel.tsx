import { Button, buttonClass, LocalTime, Notice } from '@atrium/ui';
import type { RouterOutputs } from '@atrium/api';
import { Form, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { useWebT } from '../i18n';

type ExportStatus = RouterOutputs['account']['exportStatus'];

/** How often the page asks again while an archive is being built. */
const POLL_MS = 1500;

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1);

/**
 * "Download my data": ask for an archive, watch it being built (the page refreshes its data while
 * it is queued or running), then download it until it expires.
 */
export function ExportPanel({ status, problem }: { status: ExportStatus; problem?: 'notAllowed' | 'failed' | undefined }) {
  const t = useWebT();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const latest = status.latest;
  const building = latest?.status === 'queued' || latest?.status === 'running';
  const asking = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'export';

  useEffect(() => {
    if (!building) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [building, revalidator]);

  return (
    <section aria-labelledby="export-heading" className="max-w-xl space-y-4">
      <h2 id="export-heading" className="text-lg font-semibold">
        {t('web.data.export.heading')}
      </h2>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{t('web.data.export.body', { hours: String(status.expiresAfterHours) })}</p>
      {!status.allowed ? (
        <Notice tone="info" className="text-sm">
          {t('web.data.export.notAllowed')}
        </Notice>
      ) : (
        <>
          {problem ? (
            <Notice tone="warning" className="text-sm" focusKey={problem}>
              {t(problem === 'notAllowed' ? 'web.data.export.notAllowed' : 'web.data.export.requestFailed')}
            </Notice>
          ) : null}
          <div role="status" aria-live="polite" data-testid="export-status" className="text-sm">
            {latest?.status === 'queued' ? <p>{t('web.data.export.queued')}</p> : null}
            {latest?.status === 'running' ? (
              <div className="space-y-2">
                <p>{t('web.data.export.running', { done: String(latest.progress), total: String(latest.total) })}</p>
                <progress className="w-full" max={Math.max(latest.total, 1)} value={latest.progress} aria-label={t('web.data.export.progressLabel')} />
              </div>
            ) : null}
            {latest?.status === 'ready' && latest.downloadUrl && latest.expiresAt ? (
              <div className="space-y-3 rounded-2xl border border-emerald-200 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950/40">
                <p>
                  {t('web.data.export.ready', { size: megabytes(latest.size ?? 0) })} {t('web.data.export.until')}{' '}
                  <LocalTime value={latest.expiresAt} />.
                </p>
                <a
                  href={latest.downloadUrl}
                  download
                  className={buttonClass('primary')}
                >
                  {t('web.data.export.download')}
                </a>
              </div>
            ) : null}
            {latest?.status === 'failed' ? <p className="text-rose-700 dark:text-rose-300">{t('web.data.export.failed')}</p> : null}
            {latest?.status === 'expired' ? <p>{t('web.data.export.expired')}</p> : null}
          </div>
          {building ? null : (
            <Form method="post">
              <input type="hidden" name="intent" value="export" />
              <Button type="submit" variant={latest?.status === 'ready' ? 'secondary' : 'primary'} disabled={asking}>
                {asking ? t('web.data.export.requesting') : latest ? t('web.data.export.again') : t('web.data.export.request')}
              </Button>
            </Form>
          )}
        </>
      )}
    </section>
  );
}
