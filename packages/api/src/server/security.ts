import { randomFillSync } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export type SecurityHeaderOptions = {
  /** Served over HTTPS (secure cookies): send HSTS and upgrade insecure requests. */
  secure: boolean;
  /** Vite's development server: its HMR socket and injected styles. */
  development: boolean;
};

/** Stands for the response's nonce in the policy helmet writes once; never sent. */
const NONCE_SLOT = 'atrium-nonce-slot';

/**
 * Security headers for every response of an app (helmet): a Content-Security-Policy whose scripts
 * are our own files and Remix's inline scripts carrying this response's nonce, no framing by other
 * sites, nosniff, a strict referrer policy, and HSTS when the app is served over HTTPS.
 *
 * helmet decides the headers once, at start-up; each response gets them with its own nonce
 * spliced into the policy. Asking helmet per response rebuilt and re-validated the same policy
 * and ran a dozen middlewares, for headers that differ only by the nonce.
 */
export function securityHeaders(options: SecurityHeaderOptions): RequestHandler[] {
  const headers = recordedHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", `'nonce-${NONCE_SLOT}'`],
          scriptSrcAttr: ["'none'"],
          // Tailwind's stylesheet is a file; React's style attributes and Vite's dev styles are inline.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'", ...(options.development ? ['ws:', 'wss:'] : [])],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: options.secure ? [] : null,
        },
      },
      strictTransportSecurity: options.secure ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      // Attachments and generated images are served from our own origin; nothing needs COEP.
      crossOriginEmbedderPolicy: false,
    }),
  );
  const apply: RequestHandler = (_req, res, next) => {
    const nonce = freshNonce();
    res.locals.cspNonce = nonce;
    for (const header of headers) {
      if (header.value === undefined) res.removeHeader(header.name);
      else res.setHeader(header.name, header.withNonce ? header.value.replace(NONCE_SLOT, nonce) : header.value);
    }
    next();
  };
  return [apply];
}

type RecordedHeader = { name: string; value?: string; withNonce: boolean };

/** What a helmet middleware does to a response's headers, in its order (a removal has no value). */
function recordedHeaders(middleware: RequestHandler): RecordedHeader[] {
  const recorded: RecordedHeader[] = [];
  const res = {
    locals: {},
    setHeader(name: string, value: string) {
      recorded.push({ name, value, withNonce: value.includes(NONCE_SLOT) });
    },
    removeHeader(name: string) {
      recorded.push({ name, withNonce: false });
    },
  };
  middleware({} as never, res as never, (error?: unknown) => {
    if (error) throw error;
  });
  return recorded;
}

// Nonces are cut from a pool of random bytes refilled 256 nonces at a time (as node's randomUUID
// does): still the CSPRNG's bytes, each used once, without a call into OpenSSL per response.
const NONCE_BYTES = 16;
const pool = Buffer.alloc(NONCE_BYTES * 256);
let poolUsed = pool.length;

function freshNonce() {
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const nonce = pool.toString('base64', poolUsed, poolUsed + NONCE_BYTES);
  poolUsed += NONCE_BYTES;
  return nonce;
}
