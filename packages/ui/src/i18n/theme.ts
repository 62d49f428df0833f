/** How the apps look: `system` follows the device's light or dark setting. */
export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];
export const isTheme = (value: unknown): value is Theme => themes.includes(value as Theme);

export const THEME_COOKIE = 'theme';
const ONE_YEAR = 60 * 60 * 24 * 365;

/** `theme=dark; Path=/; …`: valid both as a Set-Cookie header and as a `document.cookie` write. */
export function themeCookie(theme: Theme): string {
  return `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax`;
}

/** The visitor's pick on this device (cookie), else the device's own setting. */
export function resolveTheme(request: Request): Theme {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (name === THEME_COOKIE && isTheme(value)) return value;
  }
  return 'system';
}

/** The switcher's order: each press moves to the next. */
export const nextTheme = (theme: Theme): Theme => themes[(themes.indexOf(theme) + 1) % themes.length]!;

/** Only same-site paths: `/x` yes, `//evil.example` and `https://…` no. */
function safeRedirect(target: FormDataEntryValue | null): string {
  return typeof target === 'string' && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\') ? target : '/';
}

/** The theme switcher's form target when JavaScript is off: a cookie, then back to the page. */
export async function switchTheme(request: Request): Promise<{ theme: Theme | null; response: Response }> {
  const form = await request.formData();
  const theme = form.get('theme');
  const headers = new Headers({ Location: safeRedirect(form.get('redirectTo')) });
  if (isTheme(theme)) headers.append('Set-Cookie', themeCookie(theme));
  return { theme: isTheme(theme) ? theme : null, response: new Response(null, { status: 303, headers }) };
}
