import { isBanActive } from '@atrium/auth';
import { BannedError, LimitExceededError } from '@atrium/db';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError, ZodRealError } from 'zod';
import type { Context } from './context';
import { toTRPCError } from './errors';
import { unstorableTextIssues } from './hardening/unstorable-text';

const GENERIC_MESSAGE = 'Something went wrong on our side. Please try again.';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
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

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Administrators only.' });
  return next({ ctx });
});
