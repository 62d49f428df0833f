import { Identity, Session, User } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { samlTestUsers, startSamlIdp, type SamlAnswerTweaks, type SamlTestIdp, type SamlTestUser } from '@atrium/testing/saml-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamlProviderConfig } from './env';
import { SsoError } from './errors';
import { beginSamlSignIn, finishSamlSignIn, parseIdpMetadata, samlMetadata } from './saml';
import { signInWithSso } from './sign-in';

const endpoints = { acsUrl: 'http://atrium.test/auth/saml/acs', spEntityId: 'http://atrium.test/auth/saml/metadata' };

// One IdP for the file (its signing key is made with openssl): each database kind uses it.
let idp: SamlTestIdp;
let config: SamlProviderConfig;
beforeAll(async () => {
  idp = await startSamlIdp();
  config = {
    id: 'saml',
    displayName: 'University sign-in',
    idpMetadata: { url: idp.metadataUrl },
    idpEntityId: null,
    spEntityId: null,
    spPrivateKey: null,
    spCertificate: null,
    subjectAttribute: 'eduPersonPrincipalName',
    usernameAttribute: 'uid',
    roleMap: [
      ['staff', 'staff'],
      ['faculty', 'staff'],
      ['urn:mace:uni.test:atrium:admin', 'admin'],
    ],
    allowedGroups: ['member'],
    linkByUsername: false,
    clockSkewMs: 60_000,
  };
});
afterAll(() => idp?.close());

describe.each(testDatabaseKinds())('SAML sign-in against an IdP signing real assertions, on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();
  const now = () => new Date();

  const answerFor = async (user: SamlTestUser, tweaks?: SamlAnswerTweaks) => {
    const url = await beginSamlSignIn(em(), config, { ...endpoints, redirectTo: '/chat', now });
    return idp.answer(url, user, tweaks);
  };
  const finish = (samlResponse: string) => finishSamlSignIn(em(), config, { ...endpoints, samlResponse, now });
  const signIn = async (user: SamlTestUser, tweaks?: SamlAnswerTweaks) => {
    const answer = await answerFor(user, tweaks);
    const { profile } = await finish(answer.SAMLResponse);
    return signInWithSso(em(), profile, { providerId: 'saml', policy: config, requireAdmin: false, ip: null, userAgent: null, now });
  };
  const counts = async () => ({ users: await em().count(User), identities: await em().count(Identity), sessions: await em().count(Session) });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SsoError);
    return error as SsoError;
  };
  const refusedWithNothingCreated = async (user: SamlTestUser, tweaks: SamlAnswerTweaks) => {
    const before = await counts();
    const error = await refusal(signIn(user, tweaks));
    expect(await counts()).toEqual(before);
    return error;
  };

  it('signs a student in from eduPerson attributes and recognises her by ePPN next time', async () => {
    const answer = await answerFor(samlTestUsers.ayse);
    expect(answer.RelayState).toBe('/chat');
    const { profile } = await finish(answer.SAMLResponse);
    expect(profile).toMatchObject({ method: 'saml', issuer: idp.entityId, subject: 'ayse@uni.test', username: 'ayse', email: 'ayse@uni.test', displayName: 'Ayşe Öğrenci' });
    expect(profile.claims).toEqual(expect.arrayContaining(['student', 'member', 'student@uni.test']));

    const { user, session } = await signInWithSso(em(), profile, { providerId: 'saml', policy: config, requireAdmin: false, ip: null, userAgent: null, now });
    expect(user).toMatchObject({ username: 'ayse.saml', role: 'student', authSource: 'saml', email: 'ayse@uni.test' });
    expect(session.signInMethod).toBe('saml:saml');
    expect((await signIn(samlTestUsers.ayse)).user.id).toBe(user.id);
    const identities = await em().find(Identity, { user: user.id });
    expect(identities.map(({ method, issuer, subject }) => ({ method, issuer, subject }))).toEqual([{ method: 'saml', issuer: idp.entityId, subject: 'ayse@uni.test' }]);
  });

  it('gives roles from eduPersonAffiliation and eduPersonEntitlement', async () => {
    expect((await signIn(samlTestUsers.mehmet)).user.role).toBe('staff');
    expect((await signIn(samlTestUsers.zeynep)).user.role).toBe('admin');
  });

  it('refuses someone outside the allowed affiliations, and creates nothing', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.misafir, {});
    expect(error.reason).toBe('not_allowed');
  });

  it('refuses an assertion changed after signing', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.ayse, { tamper: (xml) => xml.replaceAll('ayse@uni.test', 'zeynep@uni.test') });
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/could not be verified: .*signature/i);
  });

  it('refuses an assertion signed with a key that is not in the IdP metadata', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.ayse, { signWithOtherKey: true });
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/signature/i);
  });

  it('refuses an assertion for another audience', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.ayse, { audience: 'https://other-service.test/shibboleth' });
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/audience/i);
  });

  it('refuses an assertion addressed to another recipient', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.ayse, { recipient: 'https://other-service.test/acs' });
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/meant for https:\/\/other-service\.test\/acs/);
  });

  it('refuses an expired assertion', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.ayse, { shiftMs: -20 * 60_000 });
    expect(error.reason).toBe('expired');
    expect(error.message).toMatch(/expired/i);
  });

  it('refuses an answer to a request Atrium never made', async () => {
    const error = await refusedWithNothingCreated(samlTestUsers.ayse, { inResponseTo: '_never-sent' });
    expect(error.reason).toBe('expired');
  });

  it('refuses a replayed response, also when both copies arrive at once', async () => {
    const first = await answerFor(samlTestUsers.ayse);
    await finish(first.SAMLResponse);
    expect((await refusal(finish(first.SAMLResponse))).reason).toMatch(/expired|replayed/);

    const raced = await answerFor(samlTestUsers.ayse);
    const results = await Promise.allSettled([finish(raced.SAMLResponse), finish(raced.SAMLResponse), finish(raced.SAMLResponse)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((outcome) => outcome.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SsoError);
    }
  });

  it('publishes SP metadata with the entity id and both apps’ assertion consumer services', () => {
    const xml = samlMetadata(config, { spEntityId: endpoints.spEntityId, acsUrls: ['https://chat.uni.test/auth/saml/acs', 'https://admin.uni.test/auth/saml/acs'] });
    expect(xml).toContain(`entityID="${endpoints.spEntityId}"`);
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect(xml).toContain('index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://chat.uni.test/auth/saml/acs"');
    expect(xml).toContain('index="2" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://admin.uni.test/auth/saml/acs"');
  });

  it('reads the IdP metadata: entity id, sign-on URL, signing certificate', () => {
    const metadata = parseIdpMetadata(idp.metadataXml);
    expect(metadata.entityId).toBe(idp.entityId);
    expect(metadata.ssoUrl).toMatch(/\/sso$/);
    expect(metadata.certificates).toHaveLength(1);
    expect(() => parseIdpMetadata(idp.metadataXml, 'https://unknown.test/idp')).toThrow(/no identity provider/);
  });
});
