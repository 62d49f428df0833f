import type { Language } from '@atrium/ui';

/** Providers price in US dollars; the ledger keeps costs in millionths of a dollar (as the admin app shows them). */
const CURRENCY = 'USD';

/** A cost held in micros; small sums keep up to four decimals so a single answer does not read "$0.00". */
export function formatCost(micros: number, lang: Language): string {
  const amount = micros / 1_000_000;
  return new Intl.NumberFormat(lang, {
    style: 'currency',
    currency: CURRENCY,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: amount !== 0 && Math.abs(amount) < 1 ? 4 : 2,
  }).format(amount);
}
