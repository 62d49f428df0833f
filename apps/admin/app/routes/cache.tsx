import {
  buttonClass,
  CheckboxField,
  ErrorSummary,
  Notice,
  Panel,
  SelectField,
  TextField,
  useLanguage,
} from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useActionMessages } from '../action-messages';
import { formBoolean, formNumber, formText, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { formatDay, formatNumber, formatPercent } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { splitTtl, TTL_UNITS, ttlSeconds } from '../ttl';

export const meta = pageMeta('content.cache.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const [stats, settings] = await Promise.all([context.trpc.cache.stats(), context.trpc.cache.settings()]);
  return {
    stats,
    settings: { enabled: settings.enabled, shared: settings.shared, ttl: splitTtl(settings.ttlSeconds) },
  };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const intent = formText(form, 'intent');
  const submitted = Object.fromEntries(form);
  if (intent === 'purge-expired' || intent === 'purge-all') {
    return attempt(intent, submitted, () =>
      context.trpc.cache.purge({ scope: intent === 'purge-all' ? 'all' : 'expired' }),
    );
  }
  const input = {
    enabled: formBoolean(form, 'enabled'),
    shared: formBoolean(form, 'shared'),
    ttlSeconds: ttlSeconds(formNumber(form, 'ttl'), formText(form, 'ttlUnit')),
  };
  return attempt('settings', { ...submitted, ttlSeconds: submitted.ttl }, () =>
    context.trpc.cache.updateSettings(input),
  );
}

export default function Cache() {
  const t = useAdminT();
  const lang = useLanguage();
  const { stats, settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const settingsResult = result?.intent === 'settings' ? result : undefined;
  const purged =
    result?.ok && result.intent.startsWith('purge') ? (result.result as unknown as { deleted: number }).deleted : null;
  const { fieldError, summary } = useActionMessages(settingsResult, { ttlSeconds: 'content.cache.errors.ttlSeconds' });
  const pending = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const { entries, period } = stats;

  return (
    <div className="space-y-8">
      <PageHeader title={t('content.cache.title')} lead={t('content.cache.lead')} />

      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label={t('content.cache.stats.hitRate')}
          hint={t('content.cache.stats.hitRateHint', {
            hits: formatNumber(period.cacheHits, lang),
            total: formatNumber(period.cacheHits + period.upstreamRequests, lang),
            from: formatDay(period.from, lang),
            to: formatDay(period.to, lang),
          })}
        >
          <span className="text-2xl" data-testid="cache-hit-rate">
            {formatPercent(period.hitRate, lang)}
          </span>
        </StatCard>
        <StatCard
          label={t('content.cache.stats.entries')}
          hint={t('content.cache.stats.entriesHint', {
            live: formatNumber(entries.live, lang),
            expired: formatNumber(entries.expired, lang),
          })}
        >
          <span className="text-2xl" data-testid="cache-entries">
            {formatNumber(entries.total, lang)}
          </span>
        </StatCard>
        <StatCard label={t('content.cache.stats.shared')} hint={t('content.cache.stats.sharedHint')}>
          <span className="text-2xl">{formatNumber(entries.shared, lang)}</span>
        </StatCard>
        <StatCard label={t('content.cache.stats.hits')} hint={t('content.cache.stats.hitsHint')}>
          <span className="text-2xl">{formatNumber(entries.hits, lang)}</span>
        </StatCard>
      </dl>

      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Panel id="cache-settings" title={t('content.cache.settings')}>
          <Form method="post" className="space-y-6" noValidate>
            <input type="hidden" name="intent" value="settings" />
            {settingsResult?.ok ? (
              <Notice tone="success" focusKey={settingsResult}>
                {t('content.cache.saved')}
              </Notice>
            ) : null}
            <ErrorSummary
              message={summary.message}
              fields={summary.fields.map((field) => ({ ...field, id: 'ttl' }))}
              focusKey={settingsResult}
            />
            <CheckboxField
              label={t('content.cache.enabled')}
              name="enabled"
              defaultChecked={settings.enabled}
              hint={t('content.cache.enabledHelp')}
            />
            <fieldset>
              <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{t('content.cache.ttl')}</legend>
              <div className="mt-1.5 flex max-w-sm gap-3">
                <TextField
                  label={<span className="sr-only">{t('content.cache.ttl')}</span>}
                  name="ttl"
                  type="number"
                  inputMode="decimal"
                  min={1}
                  step="any"
                  required
                  defaultValue={settings.ttl.value}
                  error={fieldError('ttlSeconds')}
                  className="flex-1 [&>label]:sr-only [&_input]:mt-0"
                  aria-describedby={fieldError('ttlSeconds') ? 'ttl-error ttl-help' : 'ttl-help'}
                />
                <SelectField
                  label={<span className="sr-only">{t('content.cache.ttlUnit')}</span>}
                  name="ttlUnit"
                  defaultValue={settings.ttl.unit}
                  className="w-36 [&>label]:sr-only [&_select]:mt-0"
                >
                  {(Object.keys(TTL_UNITS) as (keyof typeof TTL_UNITS)[]).map((unit) => (
                    <option key={unit} value={unit}>
                      {t(`content.cache.units.${unit}`)}
                    </option>
                  ))}
                </SelectField>
              </div>
              <p id="ttl-help" className="mt-1.5 text-sm text-zinc-500 dark:text-zinc-400">
                {t('content.cache.ttlHelp')}
              </p>
            </fieldset>
            <CheckboxField
              label={t('content.cache.shared')}
              name="shared"
              defaultChecked={settings.shared}
              hint={t('content.cache.sharedHelp')}
            />
            <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
              <button type="submit" className={buttonClass('primary')} disabled={pending === 'settings'}>
                {pending === 'settings' ? t('content.common.saving') : t('content.cache.save')}
              </button>
            </div>
          </Form>
        </Panel>

        <Panel
          id="cache-purge"
          title={t('content.cache.purge')}
          description={t('content.cache.purgeLead')}
          tone="danger"
        >
          <div className="space-y-4">
            {purged !== null ? (
              <Notice tone="success" focusKey={result}>
                {t('content.cache.purged', { count: formatNumber(purged, lang) })}
              </Notice>
            ) : null}
            {/* A new key after each purge puts the buttons back to their first step. */}
            <Form method="post" key={`expired-${entries.expired}-${purged}`}>
              <ConfirmButton
                tone="secondary"
                label={t('content.cache.purgeExpired')}
                question={t('content.cache.purgeExpiredQuestion', { count: formatNumber(entries.expired, lang) })}
                confirmLabel={t('content.cache.purgeConfirm')}
                value="purge-expired"
                disabled={Boolean(pending)}
              />
            </Form>
            <Form method="post" key={`all-${entries.total}-${purged}`}>
              <ConfirmButton
                tone="danger"
                label={t('content.cache.purgeAll')}
                question={t('content.cache.purgeAllQuestion', { count: formatNumber(entries.total, lang) })}
                confirmLabel={t('content.cache.purgeConfirm')}
                value="purge-all"
                disabled={Boolean(pending)}
              />
            </Form>
          </div>
        </Panel>
      </div>
    </div>
  );
}
