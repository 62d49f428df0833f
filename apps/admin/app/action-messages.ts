import { describeIssue, useT } from '@atrium/ui';
import type { ActionResult } from './action-result';
import { useAdminT } from './i18n';
import type { AdminKey } from './page-meta';

/**
 * Words for an action's refusal: per field, the shared sentence for its kind of problem (with
 * this page's own wording for "not valid"), and one line for the whole form.
 */
export function useActionMessages(result: ActionResult | undefined | null, invalid: Partial<Record<string, AdminKey>>) {
  const t = useAdminT();
  const common = useT();
  const refusal = result && !result.ok ? result.refusal : null;
  const fieldError = (name: string): string | undefined => {
    const key = invalid[name];
    const wording = key ? t(key) : undefined;
    // The page's sentence says what a valid value looks like, which also covers a blank one.
    return describeIssue(common, refusal?.fields[name], { required: wording, invalid: wording });
  };
  const fields = refusal ? Object.keys(refusal.fields).filter((name) => name in invalid) : [];
  let message: string | undefined;
  if (refusal && fields.length === 0) {
    if (refusal.code === 'BAD_REQUEST') message = t('content.common.errors.BAD_REQUEST', { message: refusal.message });
    else if (refusal.code === 'CONFLICT' || refusal.code === 'NOT_FOUND' || refusal.code === 'TOO_MANY_REQUESTS')
      message = t(`content.common.errors.${refusal.code}`);
    else message = t('content.common.errors.unknown');
  }
  return {
    refusal,
    fieldError,
    /** For `ErrorSummary`: the form-level sentence and a link per field. */
    summary: { message, fields: fields.map((name) => ({ id: name, message: fieldError(name)! })) },
  };
}

/** A sentence for a failed tRPC call from the browser (a mutation hook's error). */
export function useClientErrorMessage() {
  const t = useAdminT();
  return (error: unknown) => {
    const code = (error as { data?: { code?: unknown } } | null)?.data?.code;
    if (code === 'CONFLICT' || code === 'NOT_FOUND' || code === 'TOO_MANY_REQUESTS')
      return t(`content.common.errors.${code}`);
    return t('content.common.errors.unknown');
  };
}
