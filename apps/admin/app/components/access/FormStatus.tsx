import { ErrorSummary, Notice } from '@atrium/ui';
import { useAdminT } from '../../i18n';
import type { Intent, UserActionAnswer } from '../../users/user-actions.server';

/**
 * The answer to one of the user page's forms, shown inside that form's panel (not at the top of
 * a long page) and focused, so keyboard and screen-reader users hear it where they are.
 */
export function FormStatus({ answer, intents, fieldErrors }: { answer: UserActionAnswer | undefined; intents: Intent[]; fieldErrors?: { id: string; message: string }[] }) {
  const t = useAdminT();
  if (!answer || !intents.includes(answer.intent)) return null;
  if (answer.ok) {
    return (
      <Notice tone="success" focusKey={answer} className="mb-5">
        {t('access.user.saved')}
      </Notice>
    );
  }
  const message =
    answer.error === 'self'
      ? t('access.user.errors.self')
      : answer.error === 'lastAdmin'
        ? t('access.user.errors.lastAdmin')
        : answer.error === 'notFound'
          ? t('access.user.errors.notFound')
          : fieldErrors?.length
            ? undefined
            : t('access.user.errors.failed');
  return (
    <div className="mb-5">
      <ErrorSummary message={message} fields={fieldErrors ?? []} focusKey={answer} />
    </div>
  );
}
