import { UnavailableError } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { seedUsers, startSlapd, type Slapd } from '@atrium/testing/slapd';
import { makeTestCertificates, type TestCertificates } from '@atrium/testing/tls';
import { ConfidentialityRequiredError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuthEnv } from './env';
import { authenticateWithLdap, ldapConfigFromEnv, type LdapConfig } from './ldap';
import { signIn } from './login';

describe('StartTLS on ldap:// against a slapd that refuses unencrypted connections', () => {
  let certificates: TestCertificates;
  let slapd: Slapd;
  let db: TestDatabase;
  let config: LdapConfig;
  beforeAll(async () => {
    [certificates, db] = await Promise.all([makeTestCertificates(), createTestDatabase('pglite')]);
    slapd = await startSlapd({ tls: { certFile: certificates.certFile, keyFile: certificates.keyFile, required: true } });
    config = {
      url: slapd.url,
      bindDn: slapd.bindDn,
      bindPassword: slapd.bindPassword,
      baseDn: slapd.baseDn,
      usernameAttribute: 'uid',
      groupRoles: [['staff', 'staff']],
      allowedGroups: ['atrium-users'],
      timeoutMs: 3000,
      startTls: true,
      tls: { rejectUnauthorized: true, ca: certificates.ca },
    };
  });
  afterAll(async () => {
    await slapd?.stop();
    await db?.close();
    await certificates?.remove();
  });

  it('upgrades the connection before binding, trusting the configured CA', async () => {
    const identity = await authenticateWithLdap(config, 'tom', seedUsers.tom.password);
    expect(identity).toMatchObject({ username: 'tom', role: 'staff' });
    const { user } = await signIn(
      db.orm.em.fork(),
      { username: 'bob', password: seedUsers.bob.password, rememberMe: false, ip: null, userAgent: null },
      { ldap: config },
    );
    expect(user).toMatchObject({ username: 'bob', role: 'staff', authSource: 'ldap' });
  });

  it('is needed: the same server refuses the service bind on a plain connection', async () => {
    const plain = authenticateWithLdap({ ...config, startTls: false, tls: undefined }, 'bob', seedUsers.bob.password);
    await expect(plain).rejects.toMatchObject({ reason: 'unavailable', cause: expect.any(ConfidentialityRequiredError) });
  });

  it('refuses a certificate from another CA, or from the system CAs, with a clear error and no bind', async () => {
    for (const tls of [{ rejectUnauthorized: true, ca: certificates.otherCa }, { rejectUnauthorized: true }]) {
      const failure = authenticateWithLdap({ ...config, tls }, 'bob', seedUsers.bob.password);
      await expect(failure).rejects.toMatchObject({ reason: 'unavailable' });
      await expect(failure).rejects.toThrow(/TLS certificate was refused \(.+\).*LDAP_TLS_CA_FILE/);
    }
    const signingIn = signIn(
      db.orm.em.fork(),
      { username: 'alice', password: seedUsers.alice.password, rememberMe: false, ip: null, userAgent: null },
      { ldap: { ...config, tls: { rejectUnauthorized: true, ca: certificates.otherCa } } },
    );
    await expect(signingIn).rejects.toBeInstanceOf(UnavailableError);
    await expect(signingIn).rejects.toThrow(/TLS certificate was refused/);
  });

  it('reads LDAP_STARTTLS with the same CA options as ldaps://, and refuses it on an ldaps:// URL', async () => {
    const env = readAuthEnv({ ...slapd.env, LDAP_STARTTLS: 'true', LDAP_TLS_CA_FILE: certificates.caFile });
    const fromEnv = ldapConfigFromEnv(env)!;
    expect(fromEnv).toMatchObject({ startTls: true, tls: { rejectUnauthorized: true, ca: certificates.ca } });
    expect((await authenticateWithLdap({ ...fromEnv, allowedGroups: [] }, 'alice', seedUsers.alice.password)).username).toBe('alice');
    expect(ldapConfigFromEnv(readAuthEnv({ LDAP_URL: slapd.url }))?.tls).toBeUndefined();
    expect(() => ldapConfigFromEnv(readAuthEnv({ LDAP_URL: 'ldaps://dir.uni.test', LDAP_STARTTLS: 'true' }))).toThrow(/LDAP_STARTTLS is for ldap:\/\//);
  });
});
