/**
 * The domain's error vocabulary. Decisions and handlers throw these; one Fastify error handler
 * (src/http/problem.ts) turns them into problem+json. Nothing else builds an error status by hand.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A 400 always lists what is wrong (`errors`), as a validation error does: by default the body as a whole. */
export class BadRequest extends DomainError {
  constructor(message: string, errors: Array<{ path: string; message: string }> = [{ path: 'body', message }]) {
    super(400, 'Bad Request', message, { errors });
  }
}
export class Unauthorized extends DomainError {
  constructor(message = 'a valid bearer token is required') {
    super(401, 'Unauthorized', message);
  }
}
export class Forbidden extends DomainError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}
export class NotFound extends DomainError {
  constructor(message: string) {
    super(404, 'Not Found', message);
  }
}
/** An illegal state transition (endorsing twice, deciding a closed proposal, ...). */
export class Conflict extends DomainError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}
/** A key another append holds already (an edition's number): the append is refused, nothing recorded. */
export class ClaimTaken extends Conflict {
  constructor(readonly key: string) {
    super(`'${key}' is already taken`);
  }
}
/** The stream is not at the version the writer expected. */
export class VersionConflict extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: string | number,
    readonly actual: number,
  ) {
    super(409, 'Version Conflict', `stream ${streamId} is at version ${actual}, expected ${String(expected)}`, {
      currentVersion: actual,
    });
  }
}
export class PreconditionFailed extends DomainError {
  constructor(readonly actual: number) {
    super(412, 'Precondition Failed', `If-Match does not match the current version ${actual}`, {
      currentVersion: actual,
    });
  }
}
export class PreconditionRequired extends DomainError {
  constructor(message = 'this write needs expectedVersion in the body or an If-Match header') {
    super(428, 'Precondition Required', message);
  }
}
export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(422, 'Unprocessable Content', 'this Idempotency-Key was already used with a different request');
  }
}
export class TooManyRequests extends DomainError {
  constructor(message: string) {
    super(429, 'Too Many Requests', message);
  }
}
/** The log cannot commit right now (disk full, read-only, locked); nothing was recorded. */
export class StoreUnavailable extends DomainError {
  constructor(message = 'the event log cannot commit right now; nothing was recorded, retry later') {
    super(503, 'Service Unavailable', message);
  }
}
