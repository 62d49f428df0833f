import { describe, expect, it } from 'vitest';
import { acceptedLanguage, languageCookie, resolveLanguage, switchLanguage } from './language';

const request = (headers: Record<string, string>) => new Request('http://localhost/', { headers });

describe('choosing the language', () => {
  it('follows the lang cookie first, whatever the browser prefers', () => {
    expect(resolveLanguage(request({ cookie: 'a=1; lang=tr', 'accept-language': 'en-GB,en' }))).toBe('tr');
    expect(resolveLanguage(request({ cookie: 'lang=en', 'accept-language': 'tr-TR' }))).toBe('en');
  });

  it("falls back to the browser's Accept-Language, by quality, then English", () => {
    expect(resolveLanguage(request({ 'accept-language': 'de-DE,tr;q=0.8,en;q=0.5' }))).toBe('tr');
    expect(resolveLanguage(request({ 'accept-language': 'tr;q=0.3, en-US;q=0.9' }))).toBe('en');
    expect(resolveLanguage(request({ cookie: 'lang=fr', 'accept-language': 'fr-FR' }))).toBe('en');
    expect(resolveLanguage(request({}))).toBe('en');
  });

  it('ignores languages refused with q=0 and malformed entries', () => {
    expect(acceptedLanguage('tr;q=0, en;q=0.1')).toBe('en');
    expect(acceptedLanguage(';;, ,tr-TR')).toBe('tr');
    expect(acceptedLanguage(null)).toBeNull();
  });
});

describe('the no-JavaScript language switch', () => {
  const post = (fields: Record<string, string>) =>
    switchLanguage(new Request('http://localhost/language', { method: 'POST', body: new URLSearchParams(fields) }));

  it('remembers the choice for a year and goes back to the page', async () => {
    const response = await post({ lang: 'tr', redirectTo: '/chat?x=1' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/chat?x=1');
    expect(response.headers.get('set-cookie')).toBe(languageCookie('tr'));
    expect(languageCookie('tr')).toMatch(/^lang=tr; Path=\/; Max-Age=31536000; SameSite=Lax$/);
  });

  it('never redirects off the site and ignores unknown languages', async () => {
    for (const redirectTo of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      expect((await post({ lang: 'en', redirectTo })).headers.get('location')).toBe('/');
    }
    expect((await post({ lang: 'xx' })).headers.get('set-cookie')).toBeNull();
  });
});
