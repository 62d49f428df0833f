import { readFile } from 'node:fs/promises';
import { generateServiceProviderMetadata, SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { SsoRequest, type EntityManager } from '@atrium/db';
import type { Clock } from '../sessions';
import type { SamlProviderConfig } from './env';
import { SsoError } from './errors';
import { hashedRequestKey, SSO_REQUEST_TTL_MS } from './requests';
import type { SsoProfile } from './sign-in';

export type IdpMetadata = { entityId: string; ssoUrl: string; certificates: string[] };

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const select = xpath.useNamespaces({ md: MD, ds: 'http://www.w3.org/2000/09/xmldsig#' });

/**
 * The IdP's entity id, its HTTP-Redirect sign-on endpoint and its signing certificates, from its
 * metadata. A federation aggregate (many entities) needs `entityId` to pick the university's IdP.
 */
export function parseIdpMetadata(xml: string, entityId?: string | null): IdpMetadata {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const entities = select('//md:EntityDescriptor[md:IDPSSODescriptor]', doc as unknown as Node) as Element[];
  const entity = entityId ? entities.find((candidate) => candidate.getAttribute('entityID') === entityId) : entities.length === 1 ? entities[0] : undefined;
  if (!entity) {
    throw new Error(entityId ? `The IdP metadata has no identity provider ${entityId}` : `The IdP metadata names ${entities.length} identity providers; set SAML_IDP_ENTITY_ID`);
  }
  const ssoUrl = (select(`string(md:IDPSSODescriptor/md:SingleSignOnService[@Binding="${REDIRECT_BINDING}"]/@Location)`, entity) as string).trim();
  const certificates = (select('md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use="signing"]//ds:X509Certificate', entity) as Element[])
    .map((node) => (node.textContent ?? '').replace(/\s+/g, ''))
    .filter(Boolean);
  if (!ssoUrl) throw new Error('The IdP metadata offers no HTTP-Redirect SingleSignOnService');
  if (!certificates.length) throw new Error('The IdP metadata has no signing certificate');
  return { entityId: entity.getAttribute('entityID')!, ssoUrl, certificates };
}

const METADATA_REFRESH_MS = 60 * 60 * 1000;
const metadataCache = new Map<string, { loadedAt: number; metadata: Promise<IdpMetadata> }>();

/** The IdP's metadata from its file or URL; a URL is read again every hour (keys roll over). */
export function loadIdpMetadata(config: SamlProviderConfig): Promise<IdpMetadata> {
  const source = 'file' in config.idpMetadata ? config.idpMetadata.file : config.idpMetadata.url;
  const cached = metadataCache.get(source);
  if (cached && ('file' in config.idpMetadata || Date.now() - cached.loadedAt < METADATA_REFRESH_MS)) return cached.metadata;
  const metadata = (async () => {
    const xml =
      'file' in config.idpMetadata
        ? await readFile(config.idpMetadata.file, 'utf8')
        : await fetch(config.idpMetadata.url, { signal: AbortSignal.timeout(10_000) }).then((response) => {
            if (!response.ok) throw new Error(`IdP metadata answered ${response.status}`);
            return response.text();
          });
    return parseIdpMetadata(xml, config.idpEntityId);
  })().catch((error: unknown) => {
    metadataCache.delete(source);
    throw new SsoError('unavailable', `The ${config.displayName} cannot be reached right now. Please try again shortly.`, { cause: error });
  });
  metadataCache.set(source, { loadedAt: Date.now(), metadata });
  return metadata;
}

/** AuthnRequest ids we sent, in the database so the replica that gets the answer knows them. */
function requestIdStore(em: EntityManager, now: Clock): CacheProvider {
  const id = (key: string) => hashedRequestKey(`saml:${key}`);
  return {
    async saveAsync(key, value) {
      const at = now();
      await em.insert(SsoRequest, { id: id(key), protocol: 'saml', provider: 'saml', data: { value }, expiresAt: new Date(at.getTime() + SSO_REQUEST_TTL_MS) });
      return { value, createdAt: at.getTime() };
    },
    async getAsync(key) {
      const row = await em.fork().findOne(SsoRequest, { id: id(key), protocol: 'saml', expiresAt: { $gt: now() } });
      return row?.data.value ?? null;
    },
    async removeAsync(key) {
      if (key) await em.nativeDelete(SsoRequest, { id: id(key) });
      return key;
    },
  };
}

type Endpoints = { acsUrl: string; spEntityId: string };

function samlClient(config: SamlProviderConfig, idp: IdpMetadata, endpoints: Endpoints, em: EntityManager, now: Clock) {
  return new SAML({
    callbackUrl: endpoints.acsUrl,
    entryPoint: idp.ssoUrl,
    issuer: endpoints.spEntityId,
    audience: endpoints.spEntityId,
    idpCert: idp.certificates,
    idpIssuer: idp.entityId,
    // Every assertion must carry the IdP's own signature; a signed envelope alone is not enough.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SSO_REQUEST_TTL_MS,
    cacheProvider: requestIdStore(em, now),
    acceptedClockSkewMs: config.clockSkewMs,
    maxAssertionAgeMs: SSO_REQUEST_TTL_MS,
    // Let the IdP choose the NameID format and the authentication method (MFA included).
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    ...(config.spPrivateKey ? { privateKey: config.spPrivateKey, decryptionPvk: config.spPrivateKey } : {}),
    ...(config.spCertificate ? { publicCert: config.spCertificate } : {}),
  });
}

/** Step one: an AuthnRequest (remembered by id) and the IdP URL to send the browser to. */
export async function beginSamlSignIn(em: EntityManager, config: SamlProviderConfig, options: Endpoints & { redirectTo: string; now: Clock }) {
  const idp = await loadIdpMetadata(config);
  return samlClient(config, idp, options, em, options.now).getAuthorizeUrlAsync(options.redirectTo, undefined, {});
}

/** The SP metadata a federation registers: entity id, the apps' ACS URLs, our certificate if any. */
export function samlMetadata(config: SamlProviderConfig, options: { spEntityId: string; acsUrls: string[] }) {
  const xml = generateServiceProviderMetadata({
    issuer: options.spEntityId,
    callbackUrl: options.acsUrls[0]!,
    wantAssertionsSigned: true,
    identifierFormat: null,
    publicCerts: config.spCertificate,
    decryptionCert: config.spCertificate,
    ...(config.spPrivateKey ? { privateKey: config.spPrivateKey, signatureAlgorithm: 'sha256' as const } : {}),
  });
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const services = options.acsUrls
    .map(
      (url, index) =>
        `<AssertionConsumerService index="${index + 1}"${index === 0 ? ' isDefault="true"' : ''} Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escape(url)}"/>`,
    )
    .join('\n    ');
  return xml.replace(/<AssertionConsumerService[^>]*\/>/, services);
}

/** eduPerson and friends by friendly name, with the OID names Shibboleth releases them under. */
export const SAML_ATTRIBUTES: Record<string, string[]> = {
  eduPersonPrincipalName: ['urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'eduPersonPrincipalName'],
  eduPersonUniqueId: ['urn:oid:1.3.6.1.4.1.5923.1.1.1.13', 'eduPersonUniqueId'],
  mail: ['urn:oid:0.9.2342.19200300.100.1.3', 'mail', 'email'],
  displayName: ['urn:oid:2.16.840.1.113730.3.1.241', 'displayName'],
  givenName: ['urn:oid:2.5.4.42', 'givenName'],
  sn: ['urn:oid:2.5.4.4', 'sn', 'surname'],
  cn: ['urn:oid:2.5.4.3', 'cn'],
  uid: ['urn:oid:0.9.2342.19200300.100.1.1', 'uid'],
  eduPersonAffiliation: ['urn:oid:1.3.6.1.4.1.5923.1.1.1.1', 'eduPersonAffiliation'],
  eduPersonScopedAffiliation: ['urn:oid:1.3.6.1.4.1.5923.1.1.1.9', 'eduPersonScopedAffiliation'],
  eduPersonEntitlement: ['urn:oid:1.3.6.1.4.1.5923.1.1.1.7', 'eduPersonEntitlement'],
  isMemberOf: ['urn:oid:1.3.6.1.4.1.5923.1.5.1.1', 'isMemberOf'],
};

function attributeValues(profile: Profile, name: string): string[] {
  const attributes = (profile.attributes ?? profile) as Record<string, unknown>;
  for (const key of SAML_ATTRIBUTES[name] ?? [name]) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const list = Array.isArray(value) ? value : [value];
    return list.map((item) => (typeof item === 'string' ? item : typeof item === 'object' && item && '_' in item ? String((item as { _: unknown })._) : String(item))).filter(Boolean);
  }
  return [];
}
const firstValue = (profile: Profile, name: string) => attributeValues(profile, name)[0]?.trim() || null;

/** The eduPerson attributes as one profile; affiliations, entitlements and groups feed the role map. */
export function profileFromAssertion(config: SamlProviderConfig, profile: Profile): SsoProfile {
  const subject = firstValue(profile, config.subjectAttribute);
  if (!subject) {
    throw new SsoError(
      'invalid',
      `The identity provider did not release ${config.subjectAttribute}, which Atrium needs to recognise you. Ask the IdP operator to release it to this service.`,
    );
  }
  const displayName = firstValue(profile, 'displayName') ?? ([firstValue(profile, 'givenName'), firstValue(profile, 'sn')].filter(Boolean).join(' ') || firstValue(profile, 'cn'));
  return {
    method: 'saml',
    issuer: profile.issuer,
    subject,
    username: firstValue(profile, config.usernameAttribute) ?? subject.split('@')[0] ?? null,
    email: firstValue(profile, 'mail'),
    displayName,
    claims: ['eduPersonAffiliation', 'eduPersonScopedAffiliation', 'eduPersonEntitlement', 'isMemberOf'].flatMap((name) => attributeValues(profile, name)),
  };
}

type XmlNode = { $?: Record<string, string>; [child: string]: unknown };
const child = (node: unknown, name: string): XmlNode | undefined => ((node as Record<string, XmlNode[] | undefined> | undefined)?.[name] ?? [])[0];

/**
 * Step two, at the ACS: node-saml checks the signature against the IdP's certificates, the
 * issuer, the audience, the time window and InResponseTo; here the Recipient must be this ACS and
 * the assertion id must be new (one INSERT into a table every replica shares).
 */
export async function finishSamlSignIn(
  em: EntityManager,
  config: SamlProviderConfig,
  options: Endpoints & { samlResponse: string; now: Clock },
): Promise<{ profile: SsoProfile }> {
  if (!options.samlResponse) throw new SsoError('invalid', 'The identity provider sent no sign-in answer.');
  const idp = await loadIdpMetadata(config);
  let verified: Profile | null;
  try {
    ({ profile: verified } = await samlClient(config, idp, options, em, options.now).validatePostResponseAsync({ SAMLResponse: options.samlResponse }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/InResponseTo is not valid/i.test(message)) {
      throw new SsoError('expired', 'This sign-in answer does not belong to a sign-in started here, took too long, or was already used. Please start again.', { cause: error });
    }
    // node-saml's only test of a subject confirmation is its time window.
    if (/expired|NotBefore|NotOnOrAfter|No valid subject confirmation/i.test(message)) {
      throw new SsoError('expired', `The sign-in answer has expired or is not valid yet (${message}). Please start again.`, { cause: error });
    }
    throw new SsoError('invalid', `The answer from the identity provider could not be verified: ${message}`, { cause: error });
  }
  if (!verified) throw new SsoError('invalid', 'The identity provider sent a sign-out instead of a sign-in.');

  const assertion = child(verified.getAssertion?.(), 'Assertion') ?? (verified.getAssertion?.() as { Assertion?: XmlNode })?.Assertion;
  const confirmation = child(child(child(assertion, 'Subject'), 'SubjectConfirmation'), 'SubjectConfirmationData');
  const recipient = confirmation?.$?.Recipient;
  if (recipient !== options.acsUrl) {
    throw new SsoError('invalid', `The answer from the identity provider could not be verified: it was meant for ${recipient ?? 'no recipient'}, not ${options.acsUrl}`);
  }
  const assertionId = assertion?.$?.ID;
  if (!assertionId) throw new SsoError('invalid', 'The answer from the identity provider could not be verified: the assertion has no id');
  const notOnOrAfter = confirmation?.$?.NotOnOrAfter ?? child(assertion, 'Conditions')?.$?.NotOnOrAfter;
  const expiresAt = notOnOrAfter ? new Date(notOnOrAfter) : new Date(options.now().getTime() + SSO_REQUEST_TTL_MS);
  const inserted = await em.execute<{ id: string }[]>(
    `insert into saml_assertions_seen (id, issuer, expires_at) values (?, ?, ?) on conflict (id) do nothing returning id`,
    [assertionId.slice(0, 255), idp.entityId.slice(0, 512), new Date(Math.max(expiresAt.getTime(), options.now().getTime()) + config.clockSkewMs)],
  );
  if (!inserted.length) throw new SsoError('replayed', 'This sign-in answer was already used. Please start again.');
  return { profile: profileFromAssertion(config, verified) };
}
