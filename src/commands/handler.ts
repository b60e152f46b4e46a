import type { Actor } from '../dialogue/actor';
import { actorRef } from '../dialogue/actor';
import { BadRequest, NotFound, PreconditionFailed, VersionConflict } from '../errors';
import type { EventStore } from '../eventStore/store';
import type { KeptResponse, NewEvent } from '../eventStore/types';
import type { ViewGeneration } from '../eventStore/viewGeneration';
import type { Decider } from './decider';
import { FoldCache, type LoadedState } from './foldCache';
import { clientKey, type IdempotencyKey, type IdempotencyKeys, withReceipt } from './idempotency';
import { StreamQueues } from './streamQueues';

/**
 * The version a client says it wrote against, and how it said it (409 for a body field, 412 for If-Match);
 * `any` for `If-Match: *`, which only asks that the item exist.
 */
export type ClientExpectation = { version: number; via: 'body' | 'if-match' } | { version: 'any'; via: 'if-match' };

/** Who writes, under which request id and idempotency key, and the view generation the request reads at. */
export interface WriteContext {
  actor: Actor;
  requestId: string;
  idempotency?: IdempotencyKey;
  /** The request's view generation: its stream's kept fold is read by it. */
  viewGeneration?: number;
}

export interface Command<S, E extends NewEvent> {
  streamId: string;
  decider: Decider<S, E>;
  /** Pure: the events this command leads to, or a domain error. */
  decide: (state: S, version: number) => E[];
  expected?: ClientExpectation | undefined;
  statusCode: number;
  /** Fields of the success body besides `position`, `version` and `receipt`: data, known before the append. */
  body?: Record<string, unknown>;
  /** Keys unique across the log that this command's append holds (see `AppendRequest.claims`). */
  claims?: string[];
}

const MAX_ATTEMPTS = 8;

/**
 * The write path: load state (the fold cache) -> decide (pure) -> append with the expected version, one
 * command at a time per stream. Without a client expectation a concurrent write to the same stream is not
 * the caller's problem: the command is decided again on the new state (two delegates commenting at once
 * both succeed). With one, a mismatch is the caller's 409 or 412. Nothing of the command runs inside the
 * store's transaction: the response to keep under an idempotency key is data by then.
 */
export class CommandHandler {
  readonly folds: FoldCache;
  private readonly queues = new StreamQueues();

  constructor(
    private readonly store: EventStore,
    readonly idempotency: IdempotencyKeys,
    generation: ViewGeneration,
  ) {
    this.folds = new FoldCache(store, generation);
  }

  async handle<S, E extends NewEvent>(context: WriteContext, command: Command<S, E>): Promise<KeptResponse> {
    return this.queues.run(command.streamId, () => this.decideAndAppend(context, command));
  }

  private async decideAndAppend<S, E extends NewEvent>(
    context: WriteContext,
    command: Command<S, E>,
  ): Promise<KeptResponse> {
    // `If-Match: *` asks only that the item exist, which the decision checks.
    const expected = command.expected?.version === 'any' ? undefined : command.expected;
    for (let attempt = 1; ; attempt += 1) {
      // A repeat that queued behind its first attempt gets the first response, not a decision on the new state.
      const kept = context.idempotency && this.idempotency.replay(context.idempotency);
      if (kept) return kept;
      const loaded = this.folds.load(command.decider, command.streamId, context.viewGeneration);
      const events = decideOn(command, expected, loaded.state, loaded.version);
      try {
        return await this.appendDecided(context, command, loaded, events);
      } catch (error) {
        // Another writer got there first: the kept fold is behind the log, so the next load reads it.
        if (error instanceof VersionConflict) this.folds.forget(command.streamId);
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
   * Appends decided events at the version they were decided on, and keeps the stream's fold with them. It
   * throws `VersionConflict` when another writer committed to the stream first, which is why it runs inside
   * the retry and the decision does not.
   */
  private async appendDecided<S, E extends NewEvent>(
    context: WriteContext,
    command: Command<S, E>,
    loaded: LoadedState<S>,
    events: E[],
  ): Promise<KeptResponse> {
    const response: KeptResponse = { statusCode: command.statusCode, body: command.body ?? {} };
    const { actor, idempotency } = context;
    const outcome = await this.store.append({
      streamId: command.streamId,
      expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
      events,
      ...(command.claims ? { claims: command.claims } : {}),
      metadata: {
        actor: actorRef(actor),
        requestId: context.requestId,
        ...(idempotency ? { idempotencyKey: clientKey(actor.tokenId, idempotency.key) } : {}),
      },
      ...(idempotency ? { idempotency: { ...idempotency, response } } : {}),
    });
    if (outcome.kind === 'replayed') return outcome.response;
    this.folds.keepAppended(command.decider, command.streamId, loaded, events, outcome.appended.version);
    return outcome.response ?? withReceipt(response, outcome.appended);
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
