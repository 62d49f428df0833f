import { Button, Notice, Panel, SelectField, TextField, useFormatDateTime } from '@atrium/ui';
import { toRefusal } from '@atrium/ui/form.server';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.apiKeys.metaTitle', { product }) }];
};

const EXPIRY_DAYS = [30, 90, 365] as const;
const DAY_MS = 86_400_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  return context.trpc.apiKeys.mine();
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(context, request);
  const form = await request.formData();
  if (form.get('intent') === 'revoke') {
    try {
      await context.trpc.apiKeys.revoke({ id: String(form.get('id') ?? '') });
    } catch (error) {
      return { done: 'failed' as const, refusal: toRefusal(error) };
    }
    return { done: 'revoked' as const };
  }
  const name = String(form.get('name') ?? '');
  const days = Number(form.get('expiresInDays'));
  const expiresAt = EXPIRY_DAYS.includes(days as (typeof EXPIRY_DAYS)[number]) ? new Date(Date.now() + days * DAY_MS) : null;
  try {
    const { key, apiKey } = await context.trpc.apiKeys.create({ name, expiresAt });
    // The only response that ever carries the key: it is not stored anywhere we could show it again.
    return { done: 'created' as const, key, name: apiKey.name };
  } catch (error) {
    return { done: 'failed' as const, refusal: toRefusal(error, { name }) };
  }
}

export default function ApiKeys() {
  const t = useWebT();
  const product = useRootData()?.product ?? 'Atrium';
  const { allowed, keys } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const format = useFormatDateTime();
  const nameError = answer?.done === 'failed' && answer.refusal.fields.name ? t('web.apiKeys.create.nameRequired') : undefined;

  return (
    <div className="space-y-6">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{t('web.apiKeys.title')}</h1>
          <p className="mt-2 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.apiKeys.lead', { product })}</p>
        </div>
        <Link to="/account/api-guide" className="shrink-0 text-sm font-medium text-accent-700 hover:underline dark:text-accent-300">
          {t('web.apiKeys.guideLink')}
        </Link>
      </header>

      {answer?.done === 'created' ? <NewKey name={answer.name} apiKey={answer.key} /> : null}
      {answer?.done === 'revoked' ? (
        <Notice tone="success" focusKey={answer}>
          {t('web.apiKeys.list.revoked')}
        </Notice>
      ) : null}
      {answer?.done === 'failed' && !nameError ? (
        <Notice tone="warning" focusKey={answer}>
          {t('web.apiKeys.create.failed', { reason: answer.refusal.message })}
        </Notice>
      ) : null}

      {allowed ? (
        <Form method="post">
          <input type="hidden" name="intent" value="create" />
          <Panel
            id="create-key"
            title={t('web.apiKeys.create.heading')}
            footer={
              <Button type="submit" disabled={busy}>
                {t('web.apiKeys.create.submit')}
              </Button>
            }
          >
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label={t('web.apiKeys.create.name')} name="name" required maxLength={100} hint={t('web.apiKeys.create.nameHint')} error={nameError} />
              <SelectField label={t('web.apiKeys.create.expiry')} name="expiresInDays" defaultValue="90">
                <option value="never">{t('web.apiKeys.create.expiryNever')}</option>
                {EXPIRY_DAYS.map((days) => (
                  <option key={days} value={days}>
                    {t('web.apiKeys.create.expiryDays', { count: days })}
                  </option>
                ))}
              </SelectField>
            </div>
          </Panel>
        </Form>
      ) : (
        <Notice tone="info" title={t('web.apiKeys.notAllowedTitle')}>
          {t('web.apiKeys.notAllowedBody')}
        </Notice>
      )}

      <section aria-labelledby="keys-heading" className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="keys-heading" className="px-5 pt-5 text-base font-semibold sm:px-6">
          {t('web.apiKeys.list.heading')}
        </h2>
        {keys.length === 0 ? (
          <p className="px-5 py-5 text-sm text-zinc-600 sm:px-6 dark:text-zinc-400">{t('web.apiKeys.list.empty')}</p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-200 dark:divide-zinc-800">
            {keys.map((key) => (
              <li key={key.id} data-testid="api-key" className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:px-6">
                <div className="min-w-0 flex-1">
                  <p className="font-medium">
                    {key.name} <code className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{key.prefix}…</code>
                    <span className="ml-2 text-xs font-medium text-zinc-500 dark:text-zinc-400">{t(`web.apiKeys.list.states.${key.state}`)}</span>
                  </p>
                  <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                    {[
                      t('web.apiKeys.list.created', { date: format(key.createdAt) }),
                      key.revokedAt
                        ? t('web.apiKeys.list.revokedOn', { date: format(key.revokedAt) })
                        : key.expiresAt
                          ? t('web.apiKeys.list.expires', { date: format(key.expiresAt) })
                          : t('web.apiKeys.list.noExpiry'),
                      key.lastUsedAt
                        ? t('web.apiKeys.list.lastUsed', { date: format(key.lastUsedAt), ip: key.lastUsedIp ?? '?' })
                        : t('web.apiKeys.list.neverUsed'),
                    ].join(' · ')}
                  </p>
                </div>
                {key.state === 'active' ? (
                  <Form method="post" className="shrink-0">
                    <input type="hidden" name="id" value={key.id} />
                    <Button type="submit" name="intent" value="revoke" variant="danger" size="sm" disabled={busy} aria-label={t('web.apiKeys.list.revokeLabel', { name: key.name })}>
                      {t('web.apiKeys.list.revoke')}
                    </Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The key, once: selectable without JavaScript, with a copy button when it runs. */
function NewKey({ name, apiKey }: { name: string; apiKey: string }) {
  const t = useWebT();
  const product = useRootData()?.product ?? 'Atrium';
  const [copied, setCopied] = useState(false);
  return (
    <Notice tone="success" title={t('web.apiKeys.created.title', { name })} focusKey={apiKey}>
      <p>{t('web.apiKeys.created.body', { product })}</p>
      <div className="mt-3 flex gap-2">
        <input
          readOnly
          value={apiKey}
          aria-label={t('web.apiKeys.created.label')}
          data-testid="new-api-key"
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
        />
        <Button
          type="button"
          variant="secondary"
          onClick={() => void navigator.clipboard?.writeText(apiKey).then(() => setCopied(true))}
        >
          {copied ? t('web.apiKeys.created.copied') : t('web.apiKeys.created.copy')}
        </Button>
      </div>
    </Notice>
  );
}
