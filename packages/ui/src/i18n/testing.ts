import type { Catalog, MessageTree } from './messages';

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');

/**
 * Problems with a catalog's Turkish side: missing or extra keys, empty strings, and `{{vars}}`
 * that differ from the English. Empty when the translation is complete.
 */
export function missingTranslations(catalog: Catalog<object>): string[] {
  const problems: string[] = [];
  const walk = (en: MessageTree, tr: MessageTree | undefined, prefix: string) => {
    for (const [key, value] of Object.entries(en)) {
      const path = prefix + key;
      const other = tr?.[key];
      if (typeof value === 'string') {
        if (typeof other !== 'string' || !other.trim()) problems.push(`${path}: no Turkish text`);
        else if (variables(value) !== variables(other)) problems.push(`${path}: variables differ`);
      } else {
        walk(value, typeof other === 'object' ? other : undefined, `${path}.`);
      }
    }
    for (const key of Object.keys(tr ?? {})) if (!(key in en)) problems.push(`${prefix}${key}: not in English`);
  };
  walk(catalog.en as MessageTree, catalog.tr as MessageTree, '');
  return problems;
}
