/**
 * Domain errors that services throw. They say what went wrong in words a user can read;
 * the API layer maps each kind to a transport code in one place.
 */
export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
export class NotFoundError extends DomainError {}
export class UnauthorizedError extends DomainError {}
export class ForbiddenError extends DomainError {}
/** The account is banned: says why and until when (ISO 8601; null = until lifted), to show at sign-in. */
export class BannedError extends ForbiddenError {
  constructor(readonly ban: { reason: string | null; until: string | null }) {
    super('This account is suspended.');
  }
}
export class ConflictError extends DomainError {}
export class ValidationError extends DomainError {}
/** Details say which limit, what remains and when it resets, so a client can show it. */
export class LimitExceededError extends DomainError {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
/** The upstream model provider failed; the message is safe to show. */
export class UpstreamError extends DomainError {}
/** A service we depend on (the directory, say) is down; trying again later may work. */
export class UnavailableError extends DomainError {}
