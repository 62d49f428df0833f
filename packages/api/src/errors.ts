import {
  ConflictError,
  DomainError,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
  UpstreamError,
  ValidationError,
} from '@atrium/db';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

const codes: [new (...args: never[]) => DomainError, TRPC_ERROR_CODE_KEY][] = [
  [NotFoundError, 'NOT_FOUND'],
  [UnauthorizedError, 'UNAUTHORIZED'],
  [ForbiddenError, 'FORBIDDEN'],
  [ConflictError, 'CONFLICT'],
  [ValidationError, 'BAD_REQUEST'],
  [LimitExceededError, 'TOO_MANY_REQUESTS'],
  [UpstreamError, 'BAD_GATEWAY'],
  [UnavailableError, 'SERVICE_UNAVAILABLE'],
];

/** The one place where domain errors become transport errors a client can act on. */
export function toTRPCError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  const code = codes.find(([kind]) => error instanceof kind)?.[1] ?? 'BAD_REQUEST';
  return new TRPCError({ code, message: error.message, cause: error });
}
