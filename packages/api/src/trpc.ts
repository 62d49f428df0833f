import { directoryRecheckDue, isBanActive, recheckDirectoryUser } from '@atrium/auth';
import { BannedError, LimitExceededError } from '@atrium/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError, ZodRealError } from 'zod';
import type { Context } from './context';
import { toTRPCError } from './errors';
import { unstorableTextIssues } from './hardening/unstorable-text';
import { logger } from './observability/log';
import { transformer } from './transformer';

const GENERIC_MESSAGE = 'Something went wrong on our side. Please try again.';

const t = initTRPC.context<Context>().create({
  // superjson on the wire; outputs written by transformer.ts in one pass where they are plain.
  transformer,
  // Stack traces never leave the server, in development either.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const isUnexpected = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: isUnexpected ? GENERIC_MESSAGE : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        limit: cause instanceof LimitExceededError ? cause.details : null,
        // Why and until when, so a sign-in form can tell a banned user.
        ban: cause instanceof BannedError ? cause.ban : null,
      },
    };
  },
});

/** The root's types (context, meta, error shape, transformer), for annotations the compiler cannot infer briefly. */
export type RootTypes = (typeof t)['_config']['$types'];

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped instanceof TRPCError) throw mapped;
  }
  return result;
});

/**
 * Cookies ride along on requests other sites make, so a browser's mutation must come from our
 * own origin. That includes sign-in and registration, which carry no cookie yet: a foreign page
 * posting them would sign the visitor in to the attacker's account (login CSRF). Bearer tokens
 * and server-side callers carry no ambient authority and no foreign Origin.
 */
const refuseCrossSiteMutations = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.meta.authMethod !== 'bearer') {
    const foreignOrigin = ctx.meta.origin !== null && ctx.meta.ownOrigin !== null && ctx.meta.origin !== ctx.meta.ownOrigin;
    if (foreignOrigin || ctx.meta.crossSite) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'This request came from another site and was refused.' });
    }
  }
  return next();
});

/** Text PostgreSQL cannot store is refused for every procedure, before any schema or service runs. */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const issues = unstorableTextIssues(await getRawInput());
  if (issues.length > 0) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: issues[0]!.message, cause: new ZodRealError(issues) });
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapDomainErrors).use(refuseCrossSiteMutations).use(refuseUnstorableText);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  if (isBanActive(ctx.user, ctx.config.now())) throw new TRPCError({ code: 'FORBIDDEN', message: 'This account is suspended.' });
  return next({ ctx: { ...ctx, user: ctx.user, session: ctx.session } });
});

/**
 * A directory account's admin rights are only as fresh as its last group check: when that is older
 * than LDAP_RECHECK_INTERVAL_SECONDS the directory is asked again before the procedure runs, so
 * someone removed from the admin group loses the rights in live sessions within that interval.
 * A promotion in the directory reaches the live session the same way. If the directory cannot
 * answer, admin rights that come from its groups are not taken on trust: the procedure is refused
 * as unavailable (local administrators, and an administrator's sticky override, are unaffected).
 */
export const adminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  if (directoryRecheckDue(ctx.user, ctx.config.ldap, ctx.config.now)) {
    const check = await recheckDirectoryUser(ctx.em, ctx.user, ctx.config.ldap!, ctx.config.now);
    if (check.outcome === 'ended') {
      ctx.cookies.clearSessionCookie();
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'The university directory no longer lets this account in. Please sign in again.' });
    }
    if (check.outcome === 'unavailable') {
      logger.warn({ userId: ctx.user.id, err: check.error.cause ?? check.error }, 'could not re-check a directory account before an admin procedure');
      if (ctx.user.role === 'admin' && ctx.user.roleSource === 'directory') {
        throw new TRPCError({
          code: 'SERVICE_UNAVAILABLE',
          message: 'Your administrator rights cannot be confirmed with the university directory right now. Please try again shortly.',
          cause: check.error,
        });
      }
    }
  }
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Administrators only.' });
  return next({ ctx });
});
