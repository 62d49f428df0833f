import { Button, describeIssue, ErrorSummary, Notice, TextField } from '@atrium/ui';
import { fieldRefusal, toRefusal } from '@atrium/ui/form.server';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.account.password.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  return { managedByDirectory: user.authSource === 'ldap' };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(context, request);
  const form = await request.formData();
  const currentPassword = String(form.get('currentPassword') ?? '');
  const newPassword = String(form.get('newPassword') ?? '');
  if (newPassword && String(form.get('confirmPassword') ?? '') !== newPassword) {
    return { changed: false as const, refusal: fieldRefusal({ confirmPassword: { kind: 'mismatch' } }) };
  }
  try {
    await context.trpc.auth.changePassword({ currentPassword, newPassword });
  } catch (error) {
    const refusal = toRefusal(error, { currentPassword, newPassword });
    // The current password was wrong: that is about one field.
    if (refusal.code === 'UNAUTHORIZED') refusal.fields = { currentPassword: { kind: 'invalid' } };
    return { changed: false as const, refusal };
  }
  return { changed: true as const, refusal: null };
}

const FIELD_ORDER = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

export default function Password() {
  const t = useWebT();
  const { managedByDirectory } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const product = useRootData()?.product ?? 'Atrium';
  const submitting = navigation.state !== 'idle' && navigation.formMethod?.toLowerCase() === 'post';

  if (managedByDirectory) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold tracking-tight">{t('web.account.password.title')}</h1>
        <Notice tone="info" title={t('web.account.password.managedTitle')}>
          {t('web.account.password.managedBody', { product })}
        </Notice>
      </div>
    );
  }

  const issues = answer?.refusal?.fields ?? {};
  const errors: Record<(typeof FIELD_ORDER)[number], string | undefined> = {
    currentPassword: describeIssue(t, issues.currentPassword, { invalid: t('web.account.password.currentWrong') }),
    newPassword: describeIssue(t, issues.newPassword, { invalid: t('web.account.password.newInvalid') }),
    confirmPassword: describeIssue(t, issues.confirmPassword),
  };
  const fields = FIELD_ORDER.flatMap((id) => (errors[id] ? [{ id, message: errors[id] }] : []));
  const formError = answer?.refusal && fields.length === 0 ? t('web.account.password.failed') : undefined;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('web.account.password.title')}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t('web.account.password.lead')}</p>
      </div>
      {answer?.changed ? (
        <Notice tone="success" focusKey={answer}>
          {t('web.account.password.changed')}
        </Notice>
      ) : null}
      <ErrorSummary message={formError} fields={fields} focusKey={answer?.refusal} />
      {/* A successful change clears the form by remounting it. */}
      <Form key={answer?.changed ? 'changed' : 'form'} method="post" noValidate className="max-w-xl">
        <div className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <div className="space-y-5 p-5 sm:p-6">
            <TextField
              label={t('web.account.password.current')}
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              error={errors.currentPassword}
            />
            <TextField
              label={t('web.account.password.new')}
              name="newPassword"
              type="password"
              autoComplete="new-password"
              hint={t('web.account.password.newHint')}
              required
              error={errors.newPassword}
            />
            <TextField
              label={t('web.account.password.confirm')}
              name="confirmPassword"
              type="password"
              autoComplete="new-password"
              required
              error={errors.confirmPassword}
            />
          </div>
          <div className="flex justify-end rounded-b-2xl border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:px-6 dark:border-zinc-800 dark:bg-zinc-900/60">
            <Button type="submit" disabled={submitting}>
              {submitting ? t('web.account.password.submitting') : t('web.account.password.submit')}
            </Button>
          </div>
        </div>
      </Form>
    </div>
  );
}
