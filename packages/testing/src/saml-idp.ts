/**
 * A SAML 2.0 identity provider on loopback, for tests of Atrium's SAML service provider: it reads
 * real AuthnRequests (HTTP-Redirect), shows its own sign-in page, and posts back responses whose
 * assertions it signs with xml-crypto, using a key and certificate generated for the run with
 * openssl. Tests can also ask it for deliberately broken answers (tampered, expired, misaddressed).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const run = promisify(execFile);

export type SamlTestUser = {
  username: string;
  password: string;
  eduPersonPrincipalName: string;
  displayName: string;
  mail: string;
  eduPersonAffiliation: string[];
  eduPersonEntitlement?: string[];
};

export const samlTestUsers = {
  ayse: {
    username: 'ayse',
    password: 'ayse-saml-pw',
    eduPersonPrincipalName: 'ayse@uni.test',
    displayName: 'Ayşe Öğrenci',
    mail: 'ayse@uni.test',
    eduPersonAffiliation: ['student', 'member'],
  },
  mehmet: {
    username: 'mehmet',
    password: 'mehmet-saml-pw',
    eduPersonPrincipalName: 'mehmet@uni.test',
    displayName: 'Mehmet Personel',
    mail: 'mehmet@uni.test',
    eduPersonAffiliation: ['staff', 'employee', 'member'],
  },
  zeynep: {
    username: 'zeynep',
    password: 'zeynep-saml-pw',
    eduPersonPrincipalName: 'zeynep@uni.test',
    displayName: 'Zeynep Yönetici',
    mail: 'zeynep@uni.test',
    eduPersonAffiliation: ['faculty', 'member'],
    eduPersonEntitlement: ['urn:mace:uni.test:atrium:admin'],
  },
  misafir: {
    username: 'misafir',
    password: 'misafir-saml-pw',
    eduPersonPrincipalName: 'misafir@uni.test',
    displayName: 'Misafir',
    mail: 'misafir@elsewhere.test',
    eduPersonAffiliation: ['affiliate'],
  },
} satisfies Record<string, SamlTestUser>;

/** What a test may change about one answer, to see it refused. */
export type SamlAnswerTweaks = {
  audience?: string;
  recipient?: string;
  inResponseTo?: string;
  /** Shift every time in the assertion (negative: an old, expired assertion). */
  shiftMs?: number;
  /** Change the signed content after signing, as a man in the middle would. */
  tamper?: (xml: string) => string;
  /** Sign with another key than the one in the metadata. */
  signWithOtherKey?: boolean;
};

export type SamlAnswer = { acsUrl: string; SAMLResponse: string; RelayState: string };

export type SamlTestIdp = {
  entityId: string;
  metadataXml: string;
  metadataUrl: string;
  /** Answers an AuthnRequest URL (as the browser would carry it) for a user, without the login page. */
  answer(authorizeUrl: string, user: SamlTestUser, tweaks?: SamlAnswerTweaks): Promise<SamlAnswer>;
  close(): Promise<void>;
};

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAMLP_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';

export async function generateTestCertificate(commonName: string) {
  const dir = await mkdtemp(join(tmpdir(), 'atrium-saml-'));
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-subj', `/CN=${commonName}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    return { privateKey: await readFile(join(dir, 'key.pem'), 'utf8'), certificate: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const certBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

type ParsedRequest = { id: string; acsUrl: string; spEntityId: string; relayState: string };

function parseAuthnRequest(authorizeUrl: string): ParsedRequest {
  const url = new URL(authorizeUrl);
  const encoded = url.searchParams.get('SAMLRequest');
  if (!encoded) throw new Error('No SAMLRequest in the URL');
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const request = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
  const issuer = request.getElementsByTagNameNS(SAML_NS, 'Issuer')[0]?.textContent ?? '';
  return {
    id: request.getAttribute('ID') ?? '',
    acsUrl: request.getAttribute('AssertionConsumerServiceURL') ?? '',
    spEntityId: issuer,
    relayState: url.searchParams.get('RelayState') ?? '',
  };
}

export async function startSamlIdp(options: { users?: SamlTestUser[] } = {}): Promise<SamlTestIdp> {
  const users = new Map((options.users ?? Object.values(samlTestUsers)).map((user) => [user.username, user]));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/idp`;
  const [keys, otherKeys] = await Promise.all([generateTestCertificate('Atrium test IdP'), generateTestCertificate('Somebody else')]);

  const metadataXml = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(keys.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  function signedResponse(request: ParsedRequest, user: SamlTestUser, tweaks: SamlAnswerTweaks = {}) {
    const at = Date.now() + (tweaks.shiftMs ?? 0);
    const iso = (offset: number) => new Date(at + offset).toISOString();
    const acs = tweaks.recipient ?? request.acsUrl;
    const inResponseTo = tweaks.inResponseTo ?? request.id;
    const attribute = (oid: string, friendly: string, values: string[]) =>
      values.length
        ? `<saml:Attribute Name="${oid}" FriendlyName="${friendly}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values
            .map((value) => `<saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue>`)
            .join('')}</saml:Attribute>`
        : '';
    const scope = user.eduPersonPrincipalName.split('@')[1]!;
    const assertionId = `_${randomUUID()}`;
    const assertion = `<saml:Assertion xmlns:saml="${SAML_NS}" ID="${assertionId}" Version="2.0" IssueInstant="${iso(0)}"><saml:Issuer>${entityId}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_${randomUUID()}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(5 * 60_000)}" Recipient="${escapeXml(acs)}" InResponseTo="${escapeXml(inResponseTo)}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${iso(-30_000)}" NotOnOrAfter="${iso(5 * 60_000)}"><saml:AudienceRestriction><saml:Audience>${escapeXml(tweaks.audience ?? request.spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${iso(0)}" SessionIndex="_${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>${[
      attribute('urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'eduPersonPrincipalName', [user.eduPersonPrincipalName]),
      attribute('urn:oid:0.9.2342.19200300.100.1.1', 'uid', [user.username]),
      attribute('urn:oid:0.9.2342.19200300.100.1.3', 'mail', [user.mail]),
      attribute('urn:oid:2.16.840.1.113730.3.1.241', 'displayName', [user.displayName]),
      attribute('urn:oid:1.3.6.1.4.1.5923.1.1.1.1', 'eduPersonAffiliation', user.eduPersonAffiliation),
      attribute('urn:oid:1.3.6.1.4.1.5923.1.1.1.9', 'eduPersonScopedAffiliation', user.eduPersonAffiliation.map((affiliation) => `${affiliation}@${scope}`)),
      attribute('urn:oid:1.3.6.1.4.1.5923.1.1.1.7', 'eduPersonEntitlement', user.eduPersonEntitlement ?? []),
    ].join('')}</saml:AttributeStatement></saml:Assertion>`;
    const response = `<samlp:Response xmlns:samlp="${SAMLP_NS}" xmlns:saml="${SAML_NS}" ID="_${randomUUID()}" Version="2.0" IssueInstant="${iso(0)}" Destination="${escapeXml(acs)}" InResponseTo="${escapeXml(inResponseTo)}"><saml:Issuer>${entityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;

    const signing = tweaks.signWithOtherKey ? otherKeys : keys;
    const signature = new SignedXml({
      privateKey: signing.privateKey,
      publicCert: signing.certificate,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    signature.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    signature.computeSignature(response, {
      prefix: 'ds',
      location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    const signed = tweaks.tamper ? tweaks.tamper(signature.getSignedXml()) : signature.getSignedXml();
    return { acsUrl: request.acsUrl, SAMLResponse: Buffer.from(signed).toString('base64'), RelayState: request.relayState };
  }

  server.on('request', (req, res) => {
    void handle(req, res).catch((error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    // Browsers ask every site for an icon; a 404 would show up as a console error in browser tests.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (req.method === 'GET' && url.pathname === '/metadata') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadataXml);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/sso') {
      parseAuthnRequest(url.href);
      sendLoginPage(res, url.search, null);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/sso') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const original = `${base}/sso${form.get('request') ?? ''}`;
      const user = users.get(form.get('username') ?? '');
      if (!user || user.password !== form.get('password')) return sendLoginPage(res, form.get('request') ?? '', 'Wrong username or password.');
      const answer = signedResponse(parseAuthnRequest(original), user);
      // The browser carries the answer to the service provider, as the HTTP-POST binding does.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing you in</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${escapeXml(answer.acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${answer.SAMLResponse}">
<input type="hidden" name="RelayState" value="${escapeXml(answer.RelayState)}">
<noscript><button type="submit">Continue</button></noscript></form></body></html>`);
      return;
    }
    res.writeHead(404).end();
  }

  return {
    entityId,
    metadataXml,
    metadataUrl: `${base}/metadata`,
    async answer(authorizeUrl, user, tweaks) {
      return signedResponse(parseAuthnRequest(authorizeUrl), user, tweaks);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendLoginPage(res: ServerResponse, requestQuery: string, error: string | null) {
  res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>University identity provider</title></head>
<body><main><h1>University identity provider</h1>
${error ? `<p role="alert">${escapeXml(error)}</p>` : ''}
<form method="post" action="/sso">
<input type="hidden" name="request" value="${escapeXml(requestQuery)}">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></main></body></html>`);
}
