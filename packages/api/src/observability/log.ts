/**
 * The process's logger: pino, one JSON object a line (or pino-pretty in development), with
 * secrets redacted twice: by field (pino's `redact`) and, for secrets that hide inside strings
 * (an error message quoting a header, a URL with a token), by pattern on every line written.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { readLogEnv, type LogEnv } from '../server/env';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'SAMLResponse',
];

/** Field paths pino censors before serializing (one level of nesting each way). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.filter((key) => /^\w+$/.test(key)).flatMap((key) => [key, `*.${key}`]),
];

const CENSOR = '[redacted]';
const jsonSecret = new RegExp(`"(${SECRET_KEYS.join('|')})":"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const secretPatterns: [RegExp, string][] = [
  [jsonSecret, `"$1":"${CENSOR}"`],
  [/\b(Bearer|Basic)\s+[^\s"\\,;]+/gi, `$1 ${CENSOR}`],
  [/\batr_[a-z0-9]{6,}/gi, `atr_${CENSOR}`],
  [/\b(atrium_session|atrium_sso)=[^;\s"\\]+/gi, `$1=${CENSOR}`],
  [/([?&](?:code|state|token|password|key|api_key|access_token|id_token|SAMLResponse|RelayState)=)[^&\s"\\#]*/gi, `$1${CENSOR}`],
];

/** Removes secrets that travel inside strings; applied to every serialized line. */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
  return out;
}

export function loggerOptions(env: LogEnv): LoggerOptions {
  return {
    level: env.LOG_LEVEL,
    base: { service: 'atrium' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    hooks: { streamWrite: scrubSecrets },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/** A logger for these settings, writing to `destination` (stdout by default). */
export function createLogger(env: LogEnv = readLogEnv(), destination?: DestinationStream): Logger {
  const options = loggerOptions(env);
  if (destination) return pino(options, destination);
  if (env.format === 'pretty') {
    const pretty = loadPretty();
    // Synchronous: a development process's lines appear in order with the dev server's own output.
    if (pretty) return pino(options, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  }
  return pino(options, standardOutput());
}

/**
 * stdout as pino's synchronous destination: each line is one write(2) as it is logged. pino's
 * default (asynchronous) handed every request's line to libuv's threadpool, a futex and an
 * eventfd wake-up per line, for a write of a few hundred bytes: about twice the CPU per line.
 * The other side of it: a reader that stops reading (a full pipe) now holds the process up
 * instead of lines piling up in memory. Where stdout has been replaced (a test runner capturing
 * output), lines go to it, as pino itself would do.
 */
function standardOutput(): DestinationStream {
  const stdout = process.stdout;
  if (stdout.write !== (stdout.constructor as { prototype: { write: unknown } }).prototype.write) return stdout;
  return pino.destination({ dest: stdout.fd ?? 1, sync: true });
}

/** pino-pretty is a development dependency: a production install without it logs JSON. */
function loadPretty(): ((options: Record<string, unknown>) => DestinationStream) | null {
  try {
    return createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  } catch {
    return null;
  }
}

/** The process's logger (LOG_LEVEL, LOG_FORMAT). */
export const logger: Logger = createLogger();

/** The request's own logger (it carries the request's id) when `requestObservers` saw the request, else the process's. */
export const requestLog = (reqOrRes: object): Logger => (reqOrRes as { log?: Logger }).log ?? logger;
