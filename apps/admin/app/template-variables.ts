/**
 * The `{{...}}` placeholders a preset's template may use, with the catalog key of what each
 * means. The list is `TEMPLATE_VARIABLES` of `@atrium/ai`, which the browser cannot import;
 * `template-variables.test.ts` keeps the two the same.
 */
export const TEMPLATE_VARIABLES = [
  { name: 'user.displayName', meaning: 'userDisplayName' },
  { name: 'user.username', meaning: 'userUsername' },
  { name: 'date', meaning: 'date' },
  { name: 'identity.displayName', meaning: 'identityDisplayName' },
  { name: 'identity.developerName', meaning: 'identityDeveloperName' },
  { name: 'identity.productFamily', meaning: 'identityProductFamily' },
] as const;

/** Puts `{{name}}` where the cursor is (or over the selection) and says where the cursor goes next. */
export function insertPlaceholder(text: string, selectionStart: number, selectionEnd: number, name: string) {
  const placeholder = `{{${name}}}`;
  const start = Math.max(0, Math.min(selectionStart, text.length));
  const end = Math.max(start, Math.min(selectionEnd, text.length));
  return { text: text.slice(0, start) + placeholder + text.slice(end), cursor: start + placeholder.length };
}
