import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

export type SecurityHeaderOptions = {
  /** Served over HTTPS (secure cookies): send HSTS and upgrade insecure requests. */
  secure: boolean;
  /** Vite's development server: its HMR socket and injected styles. */
  development: boolean;
};

const nonceOf = (res: Response) => `'nonce-${(res.locals as { cspNonce: string }).cspNonce}'`;

/**
 * Security headers for every response of an app (helmet): a Content-Security-Policy whose scripts
 * are our own files and Remix's inline scripts carrying this response's nonce, no framing by other
 * sites, nosniff, a strict referrer policy, and HSTS when the app is served over HTTPS.
 */
export function securityHeaders(options: SecurityHeaderOptions): RequestHandler[] {
  const assignNonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => nonceOf(res as Response)],
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
  });
  return [assignNonce, headers];
}
