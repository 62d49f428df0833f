import type { ProviderSettings } from '@atrium/ai';
import type { Clock, LdapConfig, SsoConfig } from '@atrium/auth';
import type { EntityManager, IUser } from '@atrium/db';
import { PostgresFileStore, type FileStore } from './files';
import { noJobQueue, type JobAdmin, type JobQueue } from './jobs/runner';
import { inProcessRelay, type AnswerRelay } from './routers/chat/relay';
import { KnownReads } from './routers/chat/known-reads';
import { RunningAnswers } from './routers/chat/running-answers';

/** The signed-in session behind a request, when there is one. */
export type RequestSession = {
  id: string;
  type: 'active_session' | 'remember_token';
  expiresAt: Date;
  /** `oidc:<provider>` or `saml:<id>` when single sign-on made the session. */
  signInMethod?: string | null;
};

/** The personal API key a request was made with, when it was. */
export type RequestApiKey = { id: string; prefix: string; name: string };

/** What a request carries besides the database: who is asking, how, and from where. */
export type RequestMeta = {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** How the caller proved who they are; only cookies ride along on cross-site requests. */
  authMethod: 'cookie' | 'bearer' | 'apiKey' | 'none';
  /** The browser's Origin (or Sec-Fetch-Site verdict) and our own origin, for the CSRF check. */
  origin: string | null;
  crossSite: boolean;
  ownOrigin: string | null;
  /**
   * 'wire': the answer goes out over HTTP, where every event costs serialization and a socket
   * write, so streamed text is coalesced; 'in-process': a server-side caller gets every delta.
   */
  transport: 'wire' | 'in-process';
  /**
   * The language the page was shown in (the `lang` cookie, else the browser's Accept-Language),
   * when it is one of ours: what a user who never saved a language reads in.
   */
  language?: 'en' | 'tr' | null;
};

/** Lets procedures set or clear the session cookie without knowing the transport. */
export type CookieJar = {
  setSessionCookie(token: string, session: RequestSession): void;
  clearSessionCookie(): void;
};

/** Settings and clocks the services need, fixed per server process (tests pass their own). */
export type ServiceConfig = {
  ldap: LdapConfig | null;
  /** OpenID Connect providers and the SAML IdP people may sign in with. */
  sso: SsoConfig;
  now: Clock;
  providers: ProviderSettings;
  /** Upstream timeouts: silence in a text answer, the first token, and a whole picture (default 120 s). */
  llm: { timeoutMs: number; firstTokenTimeoutMs?: number; imageTimeoutMs?: number };
  /** Days and months for limits and usage reset at midnight here. */
  usageTimeZone: string;
  uploads: UploadLimits;
  /**
   * A turn's token reservation is a lease: it lasts `ms` unless renewed, and a streaming turn
   * renews it (saving its partial text) every `renewMs`.
   */
  lease: { ms: number; renewMs: number };
  /**
   * How long a conversation stays quiet before the assistant may learn from it (default 10
   * minutes): a later turn within that time moves the learning to after that turn.
   */
  memorySettleMs?: number;
  /** Background jobs (pg-boss): the process's runner; without one, enqueuing fails loudly. */
  jobs: JobQueue & JobAdmin;
  /** The process's file store, for background work (export archives); null where no job writes files. */
  files: FileStore | null;
  /** The answers this process is producing: a shutdown refuses new turns and drains these. */
  answers: RunningAnswers;
  /** Relays answers to readers on any process (LISTEN/NOTIFY on a server; in memory for in-process callers). */
  relay: AnswerRelay;
  /** Conversations' turn reads as this process last saved an answer in them: a follow-up sends no read of its own while nothing changed. */
  knownReads: KnownReads;
};

/** The largest upload of each kind, in bytes, and the pixel bound images are re-encoded to. */
export type UploadLimits = { maxDocumentBytes: number; maxImageBytes: number; maxTextBytes: number; maxImagePixels: number };

const MiB = 1024 * 1024;
export const defaultUploadLimits = (): UploadLimits => ({
  maxDocumentBytes: 25 * MiB,
  maxImageBytes: 20 * MiB,
  maxTextBytes: 5 * MiB,
  maxImagePixels: 16_000_000,
});

export const defaultServiceConfig = (): ServiceConfig => ({
  ldap: null,
  sso: { oidc: [], saml: null },
  now: () => new Date(),
  providers: {},
  llm: { timeoutMs: 60_000 },
  usageTimeZone: 'Europe/Istanbul',
  uploads: defaultUploadLimits(),
  lease: { ms: 120_000, renewMs: 2_000 },
  files: null,
  jobs: noJobQueue,
  answers: new RunningAnswers(),
  relay: inProcessRelay,
  knownReads: new KnownReads(),
});

export type CreateContextInnerOptions = {
  em: EntityManager;
  user?: IUser | null;
  session?: RequestSession | null;
  apiKey?: RequestApiKey | null;
  meta?: Partial<RequestMeta>;
  cookies?: CookieJar;
  config?: Partial<ServiceConfig>;
  /** Where files live; a PostgreSQL store on `em`'s database when left out. */
  files?: FileStore;
};

const noCookies: CookieJar = { setSessionCookie() {}, clearSessionCookie() {} };

/** What every procedure gets; named, so declarations refer to it instead of spelling it out per router. */
export type Context = {
  em: EntityManager;
  user: IUser | null;
  session: RequestSession | null;
  apiKey: RequestApiKey | null;
  meta: RequestMeta;
  cookies: CookieJar;
  config: ServiceConfig;
  files: FileStore;
};

/** The context tests, scripts and Remix loaders build directly (tRPC's inner context). */
export function createContextInner(options: CreateContextInnerOptions): Context {
  return {
    em: options.em,
    user: options.user ?? null,
    session: options.session ?? null,
    apiKey: options.apiKey ?? null,
    meta: {
      requestId: options.meta?.requestId ?? crypto.randomUUID(),
      ip: options.meta?.ip ?? null,
      userAgent: options.meta?.userAgent ?? null,
      authMethod: options.meta?.authMethod ?? (options.user ? 'bearer' : 'none'),
      origin: options.meta?.origin ?? null,
      crossSite: options.meta?.crossSite ?? false,
      ownOrigin: options.meta?.ownOrigin ?? null,
      transport: options.meta?.transport ?? 'in-process',
      language: options.meta?.language ?? null,
    } satisfies RequestMeta,
    cookies: options.cookies ?? noCookies,
    config: { ...defaultServiceConfig(), ...options.config } satisfies ServiceConfig,
    files: options.files ?? options.config?.files ?? new PostgresFileStore(options.em),
  };
}

