import { AiIdentity, SINGLETON_ID, User } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestMeta } from '../../server/http';
import { createApiTestKit, type ApiTestKit } from '../../testing';

const next = {
  displayName: 'Bilge',
  developerName: { en: 'Example University IT', tr: 'Örnek Üniversitesi Bilgi İşlem' },
  productFamily: 'Campus AI',
  shortIntro: { en: 'I help with coursework.', tr: 'Derslerinize yardım ederim.' },
  forbidProviderMention: true,
};

describe('the page language a request carries', () => {
  const request = (headers: Record<string, string>) =>
    ({ get: (name: string) => headers[name.toLowerCase()], ip: '127.0.0.1', protocol: 'http', headers }) as unknown as Parameters<typeof requestMeta>[0];
  it('is the lang cookie, else the best accepted language of ours, else none', () => {
    expect(requestMeta(request({ cookie: 'a=1; lang=tr', 'accept-language': 'en' }), 'cookie').language).toBe('tr');
    expect(requestMeta(request({ 'accept-language': 'de-DE, tr-TR;q=0.8, en;q=0.5' }), 'cookie').language).toBe('tr');
    expect(requestMeta(request({ 'accept-language': 'de' }), 'cookie').language).toBeNull();
  });
});

describe('identity router', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', { config: { providers: { demo: { baseURL: stub.url } } } });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  it('is readable by anyone and editable by admins, per language, bumping its revision', async () => {
    const admin = await kit.signedIn('admin');
    const before = await kit.anonymous().identity.get();
    expect(before).toMatchObject({ displayName: 'Atrium', developerName: { en: 'the university', tr: 'üniversite' } });
    expect(await admin.caller.identity.set(next)).toMatchObject(next);
    expect(await kit.anonymous().identity.get()).toMatchObject(next);
    const stored = await kit.db.orm.em.fork().findOneOrFail(AiIdentity, SINGLETON_ID);
    expect(stored.revision).toBeGreaterThan(1);
  });

  it('refuses an empty name or a missing translation', async () => {
    const admin = await kit.signedIn('admin');
    await expect(admin.caller.identity.set({ ...next, displayName: ' ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.caller.identity.set({ ...next, shortIntro: { en: 'Hello.', tr: ' ' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it("sends a Turkish student's question upstream with the Turkish identity, and an English student's with the English one", async () => {
    const admin = await kit.signedIn('admin');
    await admin.caller.identity.set(next);
    const turk = await kit.signedIn();
    await kit.db.orm.em.fork().nativeUpdate(User, { id: turk.user.id }, { language: 'tr' });
    const english = await kit.signedIn();

    const systemFor = async (caller: typeof turk.caller, question: string) => {
      stub.reset();
      for await (const event of await caller.chat.send({ content: question, modelId: 'demo' })) void event;
      const request = stub.requests.find((candidate) => JSON.stringify(candidate.messages).includes(question));
      const system = request?.messages.find((message) => message.role === 'system');
      return typeof system?.content === 'string' ? system.content : JSON.stringify(system?.content);
    };

    const turkish = await systemFor(kit.callerFor(await kit.db.orm.em.fork().findOneOrFail(User, turk.user.id)), 'Sen kimsin?');
    expect(turkish).toContain('Örnek Üniversitesi Bilgi İşlem');
    expect(turkish).toContain('Derslerinize yardım ederim.');
    expect(turkish).not.toContain('Example University IT');
    expect(turkish).not.toContain('I help with coursework.');

    // Nothing saved on the account: the language the page was shown in decides.
    const browserTurk = await kit.signedIn();
    const fromPage = await systemFor(kit.callerFor(browserTurk.user, { meta: { language: 'tr' } }), 'Kimsin sen?');
    expect(fromPage).toContain('Derslerinize yardım ederim.');

    const inEnglish = await systemFor(english.caller, 'Who are you?');
    expect(inEnglish).toContain('Example University IT');
    expect(inEnglish).toContain('I help with coursework.');
    expect(inEnglish).not.toContain('Derslerinize');
  });
});
