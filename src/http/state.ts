import type { Decider } from '../commands/decider';
import type { EventStore } from '../eventStore/store';
import type { NewEvent, StoredEvent } from '../eventStore/types';
import { viewGeneration } from '../eventStore/viewGeneration';

interface Folded {
  aggregate: Decider<unknown, NewEvent>;
  state: unknown;
  version: number;
  /** The view generation at which the log was known to hold nothing beyond `version`. */
  generation: number;
}

const foldedStreams = new WeakMap<EventStore, Kept>();
const FOLDED_STREAMS = 20_000;

/** A stream's state at its version, and the view generation it is known complete at. */
export interface LoadedState<S> {
  state: S;
  version: number;
  generation: number;
}

/**
 * The state of a stream, folded from its events. The fold is kept per stream (states are immutable:
 * evolve returns new objects), so a command folds only the events committed since the last one, instead of
 * parsing and folding a long deliberation again for every comment. The log only grows at a stream's end,
 * so a kept fold stays true. The log is read for what may follow it only when another connection has
 * committed since the fold was last known complete (the view generation moved): this process's own
 * appends to the stream are folded in by `keepAppended`, or drop the fold when they come another way.
 */
export function loadState<S, E extends NewEvent>(
  store: EventStore,
  aggregate: Decider<S, E>,
  streamId: string,
  generation = viewGeneration(store.sqlite).check(),
): LoadedState<S> {
  const kept = foldsOf(store).folds.get(streamId);
  const start = kept && kept.aggregate === (aggregate as Decider<unknown, NewEvent>) ? kept : undefined;
  // A fold known complete at the request's generation or a later one is at least as new as the request needs.
  if (start && start.generation >= generation) return { state: start.state as S, version: start.version, generation };
  let state = (start?.state as S | undefined) ?? aggregate.initialState;
  let version = start?.version ?? 0;
  for (const event of store.reader.readStream(streamId, version)) {
    state = aggregate.evolve(state, aggregate.parse(event));
    version = event.version;
  }
  // Read just now: complete as of the last check, which may be newer than the request's.
  keepFold(store, aggregate, streamId, state, version, Math.max(generation, viewGeneration(store.sqlite).current()));
  return { state, version, generation };
}

/** Drops a stream's kept fold: the next load reads the stream from the log (after a version conflict). */
export function forgetState(store: EventStore, streamId: string): void {
  foldsOf(store).folds.delete(streamId);
}

/**
 * Keeps the fold of a command's stream after its append, with the events it decided folded in: they are
 * the events the log now holds right after `version` (the append checked it), so the next command on the
 * stream reads nothing back, instead of re-reading and re-validating what this one has just written.
 * `generation` is the one the state was loaded at: the append checked that the stream stood at `version`
 * minus the events when it committed, so the fold is complete as of that generation (a commit by another
 * connection since moves the generation past it, and the next load reads the log).
 */
export function keepAppended<S, E extends NewEvent>(
  store: EventStore,
  aggregate: Decider<S, E>,
  streamId: string,
  state: S,
  events: readonly E[],
  version: number,
  generation: number,
): void {
  const kept = foldsOf(store);
  // Another append of this process to the stream in the same group commit, after this one: the log is past
  // `version`, and the next load reads it.
  if ((kept.lastCommit.get(streamId) ?? 0) > version) {
    kept.folds.delete(streamId);
    return;
  }
  keepFold(
    store,
    aggregate,
    streamId,
    events.reduce((folded, event) => aggregate.evolve(folded, event), state),
    version,
    generation,
  );
}

interface Kept {
  folds: Map<string, Folded>;
  /** The version each stream reached in this process's last group commit. */
  lastCommit: Map<string, number>;
}

function foldsOf(store: EventStore): Kept {
  let kept = foldedStreams.get(store);
  if (!kept) {
    const created: Kept = { folds: new Map(), lastCommit: new Map() };
    // An append of this process that no command folds in (another write path) leaves a kept fold behind
    // the log: it is dropped at the commit. The listener runs before the commit's appends are acknowledged,
    // so a command of the same group commit resumes after it and finds in `lastCommit` whether its stream
    // went further than its own events.
    store.onCommit((events) => {
      created.lastCommit = new Map();
      for (const event of events) {
        created.lastCommit.set(event.streamId, event.version);
        const fold = created.folds.get(event.streamId);
        if (fold && fold.version < event.version) created.folds.delete(event.streamId);
      }
    });
    kept = created;
    foldedStreams.set(store, kept);
  }
  return kept;
}

function keepFold<S, E extends NewEvent>(
  store: EventStore,
  aggregate: Decider<S, E>,
  streamId: string,
  state: S,
  version: number,
  generation: number,
): void {
  const { folds } = foldsOf(store);
  // Map order is recency order: the least recently used streams are dropped first.
  folds.delete(streamId);
  if (version > 0)
    folds.set(streamId, { aggregate: aggregate as Decider<unknown, NewEvent>, state, version, generation });
  if (folds.size > FOLDED_STREAMS) {
    const oldest = folds.keys().next().value;
    if (oldest !== undefined) folds.delete(oldest);
  }
}
