import { Button, CheckboxField, Notice, Panel, useLanguage } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { formBoolean, formText, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime, formatNumber } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

export const meta = pageMeta('apiKeys.title');

const ROLES = ['student', 'staff', 'admin'] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const state = new URL(request.url).searchParams.get('state') === 'all' ? 'all' : 'active';
  const [keys, settings] = await Promise.all([context.trpc.apiKeys.admin.list({ state, limit: 100 }), context.trpc.apiKeys.admin.settings()]);
  return { keys, settings, state };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const intent = formText(form, 'intent');
  const submitted = Object.fromEntries(form);
  if (intent === 'revoke') return attempt(intent, submitted, () => context.trpc.apiKeys.admin.revoke({ id: formText(form, 'id') }));
  return attempt('settings', submitted, () =>
    context.trpc.apiKeys.admin.updateSettings({
      keyRoles: ROLES.filter((role) => formBoolean(form, `role:${role}`)),
      applyIdentity: formBoolean(form, 'applyIdentity'),
      storeConversations: formBoolean(form, 'storeConversations'),
    }),
  );
}

export default function ApiKeys() {
  const t = useAdminT();
  const lang = useLanguage();
  const { keys, settings, state } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';

  return (
    <div className="space-y-8">
      <PageHeader title={t('apiKeys.title')} lead={t('apiKeys.lead')} />
      {result && !result.ok ? (
        <Notice tone="warning" focusKey={result}>
          {result.refusal.message}
        </Notice>
      ) : null}
      {result?.ok && result.intent === 'revoke' ? (
        <Notice tone="success" focusKey={result}>
          {t('apiKeys.list.revoked')}
        </Notice>
      ) : null}

      <Form method="post" key={JSON.stringify(settings)}>
        <input type="hidden" name="intent" value="settings" />
        <Panel
          id="api-settings"
          title={t('apiKeys.settings.heading')}
          footer={
            <Button type="submit" disabled={busy}>
              {t('apiKeys.settings.save')}
            </Button>
          }
        >
          <div className="space-y-5">
            {result?.ok && result.intent === 'settings' ? (
              <Notice tone="success" focusKey={result}>
                {t('apiKeys.settings.saved')}
              </Notice>
            ) : null}
            <fieldset>
              <legend className="text-sm font-medium">{t('apiKeys.settings.roles')}</legend>
              <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('apiKeys.settings.rolesHint')}</p>
              <div className="mt-3 flex flex-wrap gap-6">
                {ROLES.map((role) => (
                  <CheckboxField key={role} name={`role:${role}`} label={t(`apiKeys.settings.roleNames.${role}`)} defaultChecked={settings.keyRoles.includes(role)} />
                ))}
              </div>
            </fieldset>
            <CheckboxField name="applyIdentity" label={t('apiKeys.settings.applyIdentity')} hint={t('apiKeys.settings.applyIdentityHint')} defaultChecked={settings.applyIdentity} />
            <CheckboxField
              name="storeConversations"
              label={t('apiKeys.settings.storeConversations')}
              hint={t('apiKeys.settings.storeConversationsHint')}
              defaultChecked={settings.storeConversations}
            />
          </div>
        </Panel>
      </Form>

      <section aria-labelledby="keys-heading" className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-baseline justify-between gap-3 px-5 pt-5 sm:px-6">
          <h2 id="keys-heading" className="text-base font-semibold">
            {t('apiKeys.list.heading')} <span className="text-sm font-normal text-zinc-500">· {t('apiKeys.list.total', { count: formatNumber(keys.total, lang) })}</span>
          </h2>
          <Link to={state === 'all' ? '?state=active' : '?state=all'} className="text-sm font-medium text-accent-700 hover:underline dark:text-accent-300">
            {state === 'all' ? t('apiKeys.list.showActive') : t('apiKeys.list.showAll')}
          </Link>
        </div>
        {keys.items.length === 0 ? (
          <p className="px-5 py-5 text-sm text-zinc-600 sm:px-6 dark:text-zinc-400">{t('apiKeys.list.empty')}</p>
        ) : (
          <div className="overflow-x-auto px-5 py-4 sm:px-6">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-zinc-500">
                <tr>
                  <th className="py-2 pr-4">{t('apiKeys.list.owner')}</th>
                  <th className="py-2 pr-4">{t('apiKeys.list.key')}</th>
                  <th className="py-2 pr-4">{t('apiKeys.list.created')}</th>
                  <th className="py-2 pr-4">{t('apiKeys.list.expires')}</th>
                  <th className="py-2 pr-4">{t('apiKeys.list.lastUsed')}</th>
                  <th className="py-2 pr-4">{t('apiKeys.list.state')}</th>
                  <th className="py-2" />
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {keys.items.map((key) => (
                  <tr key={key.id} data-testid="admin-api-key">
                    <td className="py-2 pr-4">
                      <Link to={`/users/${key.owner.id}`} className="font-medium hover:underline">
                        {key.owner.username}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">
                      {key.name} <code className="text-xs text-zinc-500">{key.prefix}…</code>
                    </td>
                    <td className="py-2 pr-4">{formatDateTime(key.createdAt, lang)}</td>
                    <td className="py-2 pr-4">{key.expiresAt ? formatDateTime(key.expiresAt, lang) : t('apiKeys.list.noExpiry')}</td>
                    <td className="py-2 pr-4">
                      {key.lastUsedAt ? `${formatDateTime(key.lastUsedAt, lang)} · ${key.lastUsedIp ?? ''}` : t('apiKeys.list.never')}
                    </td>
                    <td className="py-2 pr-4">{t(`apiKeys.list.states.${key.state}`)}</td>
                    <td className="py-2 text-right">
                      {key.state === 'active' ? (
                        <Form method="post">
                          <input type="hidden" name="id" value={key.id} />
                          <ConfirmButton
                            label={t('apiKeys.list.revoke')}
                            accessibleLabel={t('apiKeys.list.revokeLabel', { owner: key.owner.username, name: key.name })}
                            question={t('apiKeys.list.revokeQuestion')}
                            confirmLabel={t('apiKeys.list.confirm')}
                            value="revoke"
                            disabled={busy}
                          />
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
