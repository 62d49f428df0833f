import { buttonClass, CheckboxField, ErrorSummary, Notice, Panel } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useActionMessages } from '../action-messages';
import { formBoolean, formText, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { PageHeader } from '../components/PageHeader';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

export const meta = pageMeta('settings.title');

const ROLES = ['student', 'staff', 'admin'] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const sharing = await context.trpc.shares.admin.settings();
  const unlocks = await context.trpc.users.unlocks();
  const transparency = await context.trpc.usage.admin.transparency();
  const learning = await context.trpc.preferences.admin.learning();
  return { sharing: { allowPublicLinks: sharing.allowPublicLinks }, answers: { answerUsageRoles: transparency.answerUsageRoles }, learning, unlocks };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const submitted = Object.fromEntries(form);
  const intent = formText(form, 'intent');
  if (intent === 'sharing') {
    return attempt('sharing', submitted, () => context.trpc.shares.admin.updateSettings({ allowPublicLinks: formBoolean(form, 'allowPublicLinks') }));
  }
  if (intent === 'answers') {
    return attempt('answers', submitted, () =>
      context.trpc.usage.admin.updateTransparency({ answerUsageRoles: ROLES.filter((role) => formBoolean(form, `role:${role}`)) }),
    );
  }
  if (intent === 'learning') {
    return attempt('learning', submitted, () =>
      context.trpc.preferences.admin.setLearning({ learnRoles: ROLES.filter((role) => formBoolean(form, `learn:${role}`)) }),
    );
  }
  throw new Response('Unknown form.', { status: 400 });
}

export default function Settings() {
  const t = useAdminT();
  const { sharing, answers, learning, unlocks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const sharingResult = result?.intent === 'sharing' ? result : undefined;
  const { summary } = useActionMessages(sharingResult, {});
  const answersResult = result?.intent === 'answers' ? result : undefined;
  const { summary: answersSummary } = useActionMessages(answersResult, {});
  const learningResult = result?.intent === 'learning' ? result : undefined;
  const { summary: learningSummary } = useActionMessages(learningResult, {});

  return (
    <div className="space-y-8">
      <PageHeader title={t('settings.title')} lead={t('settings.lead')} />
      <Panel id="sharing" title={t('settings.sharing.title')} description={t('settings.sharing.description')}>
        <Form method="post" className="space-y-6" noValidate>
          <input type="hidden" name="intent" value="sharing" />
          {sharingResult?.ok ? (
            <Notice tone="success" focusKey={sharingResult}>
              {t('settings.sharing.saved')}
            </Notice>
          ) : null}
          <ErrorSummary message={summary.message} fields={summary.fields} focusKey={sharingResult} />
          <CheckboxField
            label={t('settings.sharing.allowPublic')}
            name="allowPublicLinks"
            defaultChecked={sharing.allowPublicLinks}
            hint={t('settings.sharing.allowPublicHelp')}
          />
          <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
            <button type="submit" className={buttonClass('primary')} disabled={pending === 'sharing'}>
              {pending === 'sharing' ? t('settings.saving') : t('settings.sharing.save')}
            </button>
          </div>
        </Form>
      </Panel>
      <Panel id="answers" title={t('settings.answers.title')} description={t('settings.answers.description')}>
        <Form method="post" className="space-y-6" noValidate>
          <input type="hidden" name="intent" value="answers" />
          {answersResult?.ok ? (
            <Notice tone="success" focusKey={answersResult}>
              {t('settings.answers.saved')}
            </Notice>
          ) : null}
          <ErrorSummary message={answersSummary.message} fields={answersSummary.fields} focusKey={answersResult} />
          <fieldset>
            <legend className="text-sm font-medium">{t('settings.answers.roles')}</legend>
            <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('settings.answers.rolesHint')}</p>
            <div className="mt-3 flex flex-wrap gap-6">
              {ROLES.map((role) => (
                <CheckboxField
                  key={role}
                  name={`role:${role}`}
                  label={t(`settings.answers.roleNames.${role}`)}
                  defaultChecked={answers.answerUsageRoles.includes(role)}
                />
              ))}
            </div>
          </fieldset>
          <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
            <button type="submit" className={buttonClass('primary')} disabled={pending === 'answers'}>
              {pending === 'answers' ? t('settings.saving') : t('settings.answers.save')}
            </button>
          </div>
        </Form>
      </Panel>
      <Panel id="learning" title={t('settings.learning.title')} description={t('settings.learning.description')}>
        <Form method="post" className="space-y-6" noValidate>
          <input type="hidden" name="intent" value="learning" />
          {learningResult?.ok ? (
            <Notice tone="success" focusKey={learningResult}>
              {t('settings.learning.saved')}
            </Notice>
          ) : null}
          <ErrorSummary message={learningSummary.message} fields={learningSummary.fields} focusKey={learningResult} />
          <fieldset>
            <legend className="text-sm font-medium">{t('settings.learning.roles')}</legend>
            <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('settings.learning.rolesHint')}</p>
            <div className="mt-3 flex flex-wrap gap-6">
              {ROLES.map((role) => (
                <CheckboxField
                  key={role}
                  name={`learn:${role}`}
                  label={t(`settings.answers.roleNames.${role}`)}
                  defaultChecked={learning.learnRoles.includes(role)}
                />
              ))}
            </div>
          </fieldset>
          <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
            <button type="submit" className={buttonClass('primary')} disabled={pending === 'learning'}>
              {pending === 'learning' ? t('settings.saving') : t('settings.learning.save')}
            </button>
          </div>
        </Form>
      </Panel>
      <Panel id="unlocks" title={t('settings.unlocks.title')} description={t('settings.unlocks.description')}>
        {unlocks.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('settings.unlocks.empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">{t('settings.unlocks.key')}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t('settings.unlocks.opens')}</th>
                  <th scope="col" className="py-2 font-medium">{t('settings.unlocks.holders')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {unlocks.map((entry) => (
                  <tr key={entry.key} data-testid="unlock-row" className="align-top">
                    <th scope="row" className="py-2 pr-4 font-mono text-xs font-medium">{entry.key}</th>
                    <td className="py-2 pr-4">
                      {entry.models.length + entry.presets.length === 0
                        ? t('settings.unlocks.nothing')
                        : [...entry.models.map((model) => model.displayName), ...entry.presets.map((preset) => preset.name)].join(', ')}
                    </td>
                    <td className="py-2">
                      {entry.holders.length === 0 ? (
                        t('settings.unlocks.nobody')
                      ) : (
                        <ul className="flex flex-wrap gap-x-3 gap-y-1">
                          {entry.holders.map((holder) => (
                            <li key={holder.id}>
                              <Link to={`/users/${holder.id}`} className="text-accent-700 hover:underline dark:text-accent-300">
                                {holder.displayName} ({holder.username})
                              </Link>
                            </li>
                          ))}
                          {entry.holderCount > entry.holders.length ? (
                            <li className="text-zinc-500">{t('settings.unlocks.more', { count: entry.holderCount - entry.holders.length })}</li>
                          ) : null}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
