/**
 * A browser's User-Agent header reduced to what a person recognises on the sessions page:
 * "Firefox on Windows", "Safari on iPhone". Names are brands, so they need no translation.
 */
export type DeviceSummary = {
  browser: string | null;
  os: string | null;
  /** A phone or tablet, for the icon. */
  mobile: boolean;
  /** A script or tool (curl, Node, Python) rather than a browser. */
  client: string | null;
};

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bHeadlessChrome\/|\bChrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const OPERATING_SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

const CLIENTS: [RegExp, string][] = [
  [/^curl\//i, 'curl'],
  [/^node\b|^undici\b|\bnode-fetch\b|^axios\//i, 'Node.js'],
  [/^python-requests\/|^python-urllib|^aiohttp\//i, 'Python'],
  [/^Wget\//i, 'Wget'],
];

export function summarizeUserAgent(userAgent: string | null | undefined): DeviceSummary {
  const ua = (userAgent ?? '').trim();
  const client = CLIENTS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  if (client) return { browser: null, os: null, mobile: false, client };
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  const os = OPERATING_SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  const mobile = /\bMobile\b|\biPhone\b|\biPad\b|\bAndroid\b/.test(ua);
  return { browser, os, mobile, client: null };
}
