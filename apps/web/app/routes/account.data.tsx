import { Button, ErrorSummary, Notice, TextField } from '@atrium/ui';
import { ExportPanel } from '../account/ExportPanel';
import { toRefusal } from '@atrium/ui/form.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.data.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  const exportStatus = await context.trpc.account.exportStatus();
  return { username: user.username, directory: user.authSource === 'ldap', exportStatus };
}

type DeleteProblem = 'passwordRequired' | 'passwordWrong' | 'confirmMismatch' | 'lastAdmin' | 'directoryDown' | 'failed' | 'throttled';

/** A plain form post: the procedure re-checks the password, erases the account and clears the cookie. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(context, request);
  const form = await request.formData();
  if (form.get('intent') === 'export') {
    try {
      await context.trpc.account.requestExport();
      return { exportRequested: true as const };
    } catch (error) {
      return { exportProblem: toRefusal(error, {}).code === 'FORBIDDEN' ? ('notAllowed' as const) : ('failed' as const) };
    }
  }
  const password = String(form.get('password') ?? '');
  const confirmUsername = String(form.get('confirmUsername') ?? '');
  const problem = (kind: DeleteProblem) => ({ problem: kind });
  if (!password) return problem('passwordRequired');
  if (confirmUsername.trim().toLowerCase() !== user.username.toLowerCase()) return problem('confirmMismatch');
  try {
    await context.trpc.account.delete({ password, confirmUsername });
  } catch (error) {
    const refusal = toRefusal(error, { password, confirmUsername });
    if (refusal.code === 'UNAUTHORIZED') return problem('passwordWrong');
    if (refusal.code === 'CONFLICT') return problem('lastAdmin');
    if (refusal.code === 'SERVICE_UNAVAILABLE') return problem('directoryDown');
    if (refusal.code === 'TOO_MANY_REQUESTS') return problem('throttled');
    if (refusal.code === 'BAD_REQUEST' && refusal.fields.confirmUsername) return problem('confirmMismatch');
    return problem('failed');
  }
  return redirect('/account-deleted');
}

export default function YourData() {
  const t = useWebT();
  const { username, directory, exportStatus } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const product = useRootData()?.product ?? 'Atrium';
  const submitting = navigation.state !== 'idle' && navigation.formMethod?.toLowerCase() === 'post' && navigation.formData?.get('intent') !== 'export';

  const problem = answer && 'problem' in answer ? answer.problem : undefined;
  const passwordError =
    problem === 'passwordRequired' ? t('web.data.delete.passwordRequired') : problem === 'passwordWrong' ? t('web.data.delete.passwordWrong') : undefined;
  const confirmError = problem === 'confirmMismatch' ? t('web.data.delete.confirmMismatch') : undefined;
  const fields = [
    ...(passwordError ? [{ id: 'delete-password', message: passwordError }] : []),
    ...(confirmError ? [{ id: 'confirmUsername', message: confirmError }] : []),
  ];
  const formError =
    problem === 'lastAdmin'
      ? t('web.data.delete.lastAdmin')
      : problem === 'directoryDown'
        ? t('web.data.delete.directoryDown')
        : problem === 'throttled'
          ? t('web.auth.login.throttled', { time: '…' })
          : problem === 'failed'
            ? t('web.data.delete.failed')
            : undefined;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('web.data.title')}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t('web.data.lead', { product })}</p>
      </div>

      <ExportPanel status={exportStatus} problem={answer && 'exportProblem' in answer ? answer.exportProblem : undefined} />

      <section aria-labelledby="delete-heading" className="max-w-xl space-y-4">
        <h2 id="delete-heading" className="text-lg font-semibold">
          {t('web.data.delete.heading')}
        </h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{t('web.data.delete.body')}</p>
        {directory ? (
          <Notice tone="info" className="text-sm">
            {t('web.data.delete.directory', { product })}
          </Notice>
        ) : null}
        <ErrorSummary message={formError} fields={fields} focusKey={answer} />
        <Form method="post" noValidate>
          <div className="rounded-2xl border border-rose-200 bg-white shadow-sm dark:border-rose-900 dark:bg-zinc-900">
            <div className="space-y-5 p-5 sm:p-6">
              <TextField
                label={t('web.data.delete.password')}
                name="password"
                id="delete-password"
                type="password"
                autoComplete="current-password"
                hint={directory ? t('web.data.delete.directoryPasswordHint') : t('web.data.delete.passwordHint')}
                required
                error={passwordError}
              />
              <TextField
                label={t('web.data.delete.confirm', { username })}
                name="confirmUsername"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                required
                error={confirmError}
              />
            </div>
            <div className="flex justify-end rounded-b-2xl border-t border-rose-200 bg-rose-50 px-5 py-3 sm:px-6 dark:border-rose-900 dark:bg-rose-950/40">
              <Button type="submit" variant="danger" disabled={submitting}>
                {submitting ? t('web.data.delete.submitting') : t('web.data.delete.submit')}
              </Button>
            </div>
          </div>
        </Form>
      </section>
    </div>
  );
}
