import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../dialogue/actor';
import { actorRef } from '../dialogue/actor';
import { BadRequest, NotFound, PreconditionFailed, VersionConflict } from '../errors';
import type { EventStore } from '../eventStore/store';
import type { Appended, NewEvent, StoredResponse } from '../eventStore/types';
import type { Decider } from '../commands/decider';
import { forgetState, keepAppended, type LoadedState, loadState } from './state';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Where a 201 of this route lives, from its body: the `Location` header, first answer and replays alike. */
    location?: (body: { id: string }) => string;
  }
}

/**
 * The version a client says it wrote against, and how it said it (409 for a body field, 412 for If-Match);
 * `any` for `If-Match: *`, which only asks that the item exist.
 */
export type ClientExpectation = { version: number; via: 'body' | 'if-match' } | { version: 'any'; via: 'if-match' };

/** `expectedVersion` in the body (409 on mismatch) or `If-Match` (412); both must agree when both are sent. */
export function expectation(request: FastifyRequest, bodyVersion: number | undefined): ClientExpectation | undefined {
  const header = ifMatchVersion(request);
  if (bodyVersion !== undefined && header !== undefined && header !== 'any' && bodyVersion !== header) {
    throw new BadRequest('expectedVersion and If-Match disagree', [
      { path: 'body.expectedVersion', message: 'differs from If-Match' },
    ]);
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  if (header !== undefined) return { version: header, via: 'if-match' };
  return undefined;
}

export interface WriteContext {
  store: EventStore;
  actor: Actor;
  requestId: string;
  idempotency?: { key: string; fingerprint: string };
  /** The request's view generation: its stream's kept fold is read by it. */
  viewGeneration?: number;
}

export function writeContext(store: EventStore, request: FastifyRequest): WriteContext {
  const context: WriteContext = { store, actor: request.actor, requestId: String(request.id) };
  if (request.idempotency) context.idempotency = request.idempotency;
  if (request.viewGeneration !== undefined) context.viewGeneration = request.viewGeneration;
  return context;
}

export interface Command<S, E extends NewEvent> {
  streamId: string;
  decider: Decider<S, E>;
  /** Pure: the events this command leads to, or a domain error. */
  decide: (state: S, version: number) => E[];
  expected?: ClientExpectation | undefined;
  statusCode: number;
  /** Fields of the success body besides `position`, `version` and `receipt`. */
  body?: (appended: Appended) => Record<string, unknown>;
}

const MAX_ATTEMPTS = 8;

/**
 * The write path: load state -> decide -> append with the expected version. Without a client expectation a
 * concurrent write to the same stream is not the caller's problem: the command is decided again on the new
 * state (two delegates commenting at once both succeed). With one, a mismatch is the caller's 409 or 412.
 */
export async function runCommand<S, E extends NewEvent>(
  context: WriteContext,
  command: Command<S, E>,
): Promise<StoredResponse> {
  return oneAtATime(context.store, command.streamId, () => decideAndAppend(context, command));
}

const streamQueues = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

/**
 * Commands on the same stream run one after the other in this process: each decides on the state the
 * previous one committed, so a burst of comments on one proposal never turns into a storm of version
 * conflicts and retries. Commands on different streams still share group commits. (Writers in other
 * processes are still caught by the expected version, and retried.)
 */
async function oneAtATime<T>(store: EventStore, streamId: string, work: () => Promise<T>): Promise<T> {
  let queues = streamQueues.get(store);
  if (!queues) {
    queues = new Map();
    streamQueues.set(store, queues);
  }
  const previous = queues.get(streamId) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(streamId, tail);
  void tail.then(() => {
    if (queues.get(streamId) === tail) queues.delete(streamId);
  });
  return run;
}

async function decideAndAppend<S, E extends NewEvent>(
  context: WriteContext,
  command: Command<S, E>,
): Promise<StoredResponse> {
  // `If-Match: *` asks only that the item exist, which the decision checks.
  const expected = command.expected?.version === 'any' ? undefined : command.expected;
  for (let attempt = 1; ; attempt += 1) {
    // A repeat that queued behind its first attempt gets the first response, not a decision on the new state.
    const kept =
      context.idempotency && context.store.idempotentResponse(context.idempotency.key, context.idempotency.fingerprint);
    if (kept) return kept;
    const loaded = loadState(context.store, command.decider, command.streamId, context.viewGeneration);
    const events = decideOn(command, expected, loaded.state, loaded.version);
    try {
      return await appendDecided(context, command, loaded, events);
    } catch (error) {
      // Another writer got there first: the kept fold is behind the log, so the next load reads it.
      if (error instanceof VersionConflict) forgetState(context.store, command.streamId);
      const retry = error instanceof VersionConflict && !expected && attempt < MAX_ATTEMPTS;
      if (!retry) {
        if (error instanceof VersionConflict && expected?.via === 'if-match')
          throw new PreconditionFailed(error.actual);
        throw error;
      }
    }
  }
}

/**
 * The command's decision on the state at `version`, checked against the client's expectation. Decided
 * first: what the caller may not see must be the 404 of a missing item, never a 409/412 that would reveal
 * that it exists and its version. Other refusals come after the version check.
 */
function decideOn<S, E extends NewEvent>(
  command: Command<S, E>,
  expected: Exclude<ClientExpectation, { version: 'any' }> | undefined,
  state: S,
  version: number,
): E[] {
  let events: E[] = [];
  let refusal: unknown;
  try {
    events = command.decide(state, version);
  } catch (error) {
    if (error instanceof NotFound) throw error;
    refusal = error;
  }
  if (expected && expected.version !== version) {
    if (expected.via === 'if-match') throw new PreconditionFailed(version);
    throw new VersionConflict(command.streamId, expected.version, version);
  }
  if (refusal !== undefined) throw refusal;
  if (events.length === 0) throw new BadRequest('this request changes nothing');
  return events;
}

/**
 * Appends decided events at the version they were decided on, and keeps the stream's fold with them. It
 * throws `VersionConflict` when another writer committed to the stream first, which is why it runs inside
 * the retry and the decision does not.
 */
async function appendDecided<S, E extends NewEvent>(
  context: WriteContext,
  command: Command<S, E>,
  loaded: LoadedState<S>,
  events: E[],
): Promise<StoredResponse> {
  const respond = (appended: Appended): StoredResponse => ({
    statusCode: command.statusCode,
    body: {
      ...command.body?.(appended),
      position: appended.position,
      version: appended.version,
      receipt: appended.receipt,
    },
  });
  const outcome = await context.store.append({
    streamId: command.streamId,
    expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
    events,
    metadata: {
      actor: actorRef(context.actor),
      requestId: context.requestId,
      ...(context.idempotency
        ? { idempotencyKey: context.idempotency.key.slice(context.actor.tokenId.length + 1) }
        : {}),
    },
    ...(context.idempotency ? { idempotency: { ...context.idempotency, respond } } : {}),
  });
  if (outcome.kind === 'replayed') return outcome.response;
  keepAppended(
    context.store,
    command.decider,
    command.streamId,
    loaded.state,
    events,
    outcome.appended.version,
    loaded.generation,
  );
  return outcome.response ?? respond(outcome.appended);
}

/** Sends a command's response (or a kept one, replayed), with the `Location` of what a 201 created. */
export function sendResponse(reply: FastifyReply, response: StoredResponse): FastifyReply {
  const location = reply.request.routeOptions.config.location;
  const body = response.body as { id?: unknown } | null;
  if (location && response.statusCode === 201 && typeof body?.id === 'string')
    reply.header('location', location({ id: body.id }));
  return reply.code(response.statusCode).send(response.body);
}

/** Parses `If-Match: W/"7"` (or `"7"`, or `7`) into a version, and `If-Match: *` into `any`. */
export function ifMatchVersion(request: FastifyRequest): number | 'any' | undefined {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return undefined;
  if (header.trim() === '*') return 'any';
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new BadRequest('If-Match must be an ETag of the form W/"<version>", or *', [
      { path: 'headers.if-match', message: 'expected W/"<version>" or *' },
    ]);
  }
  return Number(match[1]);
}

export function etag(version: number): string {
  return `W/"${version}"`;
}

/**
 * Answers 304 Not Modified: no content, so no content headers of its own (RFC 9110 15.4.5); a proxy in
 * front refuses a 304 that declares a body. Headers already set (the ETag) stay.
 */
export function notModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}
