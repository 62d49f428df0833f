import { Button, Panel, useLanguage } from '@atrium/ui';
import { Form, useNavigation } from '@remix-run/react';
import { formatNumber } from '../../format';
import { useAdminT } from '../../i18n';
import { limitField, type AdminUser } from '../../users/settings-form';
import type { UserActionAnswer } from '../../users/user-actions.server';
import { FormStatus } from './FormStatus';

type RoleLimit = { dailyRequestLimit: number | null; monthlyTokenLimit: number | null };
type Override = { dailyRequestLimit?: number | null; monthlyTokenLimit?: number | null };

/** Per-model overrides of the role's limits: a table of number inputs, empty meaning "the role's". */
export function LimitsPanel({
  user,
  models,
  roleLimits,
  answer,
}: {
  user: AdminUser;
  models: { id: string; displayName: string; enabled: boolean }[];
  roleLimits: Record<string, RoleLimit | undefined>;
  answer: UserActionAnswer | undefined;
}) {
  const t = useAdminT();
  const lang = useLanguage();
  const busy = useNavigation().state !== 'idle';
  const limits = user.limits as Record<string, Override | undefined>;
  const invalid = answer && !answer.ok && answer.intent === 'setLimits' ? (answer.fields ?? {}) : {};
  const roleValue = (value: number | null | undefined) =>
    value === null || value === undefined ? t('access.user.limits.unlimited') : value === 0 ? t('access.user.limits.disabled') : formatNumber(value, lang);
  const fieldErrors = Object.keys(invalid).map((id) => ({ id, message: t('access.user.limits.invalid') }));

  const cell = (kind: 'daily' | 'monthly', model: (typeof models)[number]) => {
    const name = limitField(kind, model.id);
    const key = kind === 'daily' ? 'dailyRequestLimit' : 'monthlyTokenLimit';
    const current = limits[model.id]?.[key];
    const error = invalid[name];
    const hintId = `${name}-hint`;
    return (
      <td className="px-4 py-3 align-top">
        <label htmlFor={name} className="sr-only">
          {t(kind === 'daily' ? 'access.user.limits.dailyFor' : 'access.user.limits.monthlyFor', { model: model.displayName })}
        </label>
        <input
          id={name}
          name={name}
          inputMode="numeric"
          defaultValue={current === null || current === undefined ? '' : String(current)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${name}-error` : hintId}
          className="block w-full min-w-28 rounded-lg border-0 bg-white px-3 py-1.5 text-sm tabular-nums shadow-sm ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-accent-500 focus:outline-none aria-invalid:ring-rose-500 dark:bg-zinc-900 dark:ring-zinc-700"
        />
        <p id={hintId} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {t('access.user.limits.roleDefault', { value: roleValue(roleLimits[model.id]?.[key]) })}
        </p>
        {error ? (
          <p id={`${name}-error`} className="mt-1 text-xs text-rose-700 dark:text-rose-400">
            {t('access.user.limits.invalid')}
          </p>
        ) : null}
      </td>
    );
  };

  return (
    <Form method="post" key={JSON.stringify(limits)}>
      <input type="hidden" name="intent" value="setLimits" />
      <Panel
        id="limits"
        title={t('access.user.limits.title')}
        description={t('access.user.limits.description')}
        footer={
          <Button type="submit" disabled={busy}>
            {t('access.user.limits.save')}
          </Button>
        }
      >
        <FormStatus answer={answer} intents={['setLimits']} fieldErrors={fieldErrors} />
        <div className="-mx-5 overflow-x-auto sm:-mx-6">
          <table className="min-w-full text-sm">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-4 py-2 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase sm:pl-6 dark:text-zinc-400">
                  {t('access.user.limits.model')}
                </th>
                <th scope="col" className="px-4 py-2 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                  {t('access.user.limits.daily')}
                </th>
                <th scope="col" className="px-4 py-2 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase sm:pr-6 dark:text-zinc-400">
                  {t('access.user.limits.monthly')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {models.map((model) => (
                <tr key={model.id}>
                  <th scope="row" className="px-4 py-3 text-left align-top font-medium sm:pl-6">
                    <span className={model.enabled ? undefined : 'text-zinc-500 dark:text-zinc-400'}>{model.displayName}</span>
                    <span className="block font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">{model.id}</span>
                  </th>
                  {cell('daily', model)}
                  {cell('monthly', model)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </Form>
  );
}
