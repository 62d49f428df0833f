import { perZoneMinute, zonedDayFormat } from './zoned';

/**
 * Renders a preset's system prompt template. Only `{{name}}` placeholders from a fixed list
 * are filled, in one pass, with plain text: no expressions, no property paths into objects,
 * so `{{constructor}}`, `{{__proto__}}` or `{{user.passwordHash}}` render as nothing, and a
 * value that itself contains `{{...}}` is never expanded.
 */
export interface TemplateContext {
  user: { displayName: string; username: string };
  identity: { displayName: string; developerName: string; productFamily: string };
  /** Today as YYYY-MM-DD. */
  date: string;
}

const VARIABLES = new Map<string, (context: TemplateContext) => string>([
  ['user.displayName', (context) => context.user.displayName],
  ['user.username', (context) => context.user.username],
  ['date', (context) => context.date],
  ['identity.displayName', (context) => context.identity.displayName],
  ['identity.developerName', (context) => context.identity.developerName],
  ['identity.productFamily', (context) => context.identity.productFamily],
]);

/** The placeholders a template may use, for the preset editor's help text. */
export const TEMPLATE_VARIABLES: readonly string[] = [...VARIABLES.keys()];

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}\}/g;

/** Unknown placeholders render as an empty string. */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => VARIABLES.get(name)?.(context) ?? '');
}

/** YYYY-MM-DD in the given IANA time zone (every prompt asks: kept per zone for the minute). */
const dateInZone = perZoneMinute((now, timeZone) => zonedDayFormat(timeZone).format(now));
export const isoDate = (now: Date, timeZone = 'UTC'): string => dateInZone(now, timeZone);
