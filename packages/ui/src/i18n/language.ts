import { defaultLanguage, isLanguage, type Language } from './messages';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR = 60 * 60 * 24 * 365;

/** `lang=tr; Path=/; …`: valid both as a Set-Cookie header and as a `document.cookie` write. */
export function languageCookie(lang: Language): string {
  return `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax`;
}

function cookieLanguage(cookieHeader: string | null): Language | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (name === LANGUAGE_COOKIE && isLanguage(value)) return value;
  }
  return null;
}

/** The best supported language in an Accept-Language header, by quality then order. */
export function acceptedLanguage(header: string | null): Language | null {
  const ranked = (header ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', quality: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.base && entry.quality > 0 && !Number.isNaN(entry.quality))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isLanguage) ?? null;
}

/** The root loader's choice: the visitor's explicit pick (cookie), else their browser's, else English. */
export function resolveLanguage(request: Request): Language {
  return cookieLanguage(request.headers.get('cookie')) ?? acceptedLanguage(request.headers.get('accept-language')) ?? defaultLanguage;
}

/** Only same-site paths: `/x` yes, `//evil.example` and `https://…` no. */
function safeRedirect(target: FormDataEntryValue | null): string {
  return typeof target === 'string' && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\') ? target : '/';
}

/**
 * The action behind the language switcher's form when JavaScript is off: remember the choice in
 * a cookie and go back to the page the visitor was on.
 */
export async function switchLanguage(request: Request): Promise<Response> {
  const form = await request.formData();
  const lang = form.get('lang');
  const headers = new Headers({ Location: safeRedirect(form.get('redirectTo')) });
  if (isLanguage(lang)) headers.append('Set-Cookie', languageCookie(lang));
  return new Response(null, { status: 303, headers });
}
