import type { EventStore } from '../eventStore/store';
import type { NewEvent, StoredEvent } from '../eventStore/types';
import { viewGeneration } from '../eventStore/viewGeneration';

/** A pure aggregate: how its events fold into the state its decisions need. */
export interface Aggregate<S, E extends NewEvent> {
  initial: S;
  evolve(state: S, event: E): S;
  /** Parses a stored event of this aggregate's stream (stored events are validated when read). */
  parse(event: StoredEvent): E;
}

interface Folded {
  aggregate: Aggregate<unknown, NewEvent>;
  state: unknown;
  version: number;
  /** The view generation at which the log was known to hold nothing beyond `version`. */
  generation: number;
}

const foldedStreams = new WeakMap<EventStore, Map<string, Folded>>();
const FOLDED_STREAMS = 20_000;

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
  aggregate: Aggregate<S, E>,
  streamId: string,
  generation = viewGeneration(store.sqlite).check(),
): { state: S; version: number; generation: number } {
  const kept = foldsOf(store).get(streamId);
  const start = kept && kept.aggregate === (aggregate as Aggregate<unknown, NewEvent>) ? kept : undefined;
  if (start && start.generation === generation) return { state: start.state as S, version: start.version, generation };
  let state = (start?.state as S | undefined) ?? aggregate.initial;
  let version = start?.version ?? 0;
  for (const event of store.reader.readStream(streamId, version)) {
    state = aggregate.evolve(state, aggregate.parse(event));
    version = event.version;
  }
  keepFold(store, aggregate, streamId, state, version, generation);
  return { state, version, generation };
}

/** Drops a stream's kept fold: the next load reads the stream from the log (after a version conflict). */
export function forgetState(store: EventStore, streamId: string): void {
  foldsOf(store).delete(streamId);
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
  aggregate: Aggregate<S, E>,
  streamId: string,
  state: S,
  events: readonly E[],
  version: number,
  generation: number,
): void {
  keepFold(store, aggregate, streamId, events.reduce((folded, event) => aggregate.evolve(folded, event), state), version, generation);
}

function foldsOf(store: EventStore): Map<string, Folded> {
  let folds = foldedStreams.get(store);
  if (!folds) {
    const created = new Map<string, Folded>();
    // An append of this process that no command folds in (a retry's loser, another write path) leaves a
    // kept fold behind the log: it is dropped at the commit, before any command resumes.
    store.onCommit((events) => {
      for (const event of events) {
        const kept = created.get(event.streamId);
        if (kept && kept.version < event.version) created.delete(event.streamId);
      }
    });
    folds = created;
    foldedStreams.set(store, folds);
  }
  return folds;
}

function keepFold<S, E extends NewEvent>(
  store: EventStore,
  aggregate: Aggregate<S, E>,
  streamId: string,
  state: S,
  version: number,
  generation: number,
): void {
  const folds = foldsOf(store);
  // Map order is recency order: the least recently used streams are dropped first.
  folds.delete(streamId);
  if (version > 0) folds.set(streamId, { aggregate: aggregate as Aggregate<unknown, NewEvent>, state, version, generation });
  if (folds.size > FOLDED_STREAMS) {
    const oldest = folds.keys().next().value;
    if (oldest !== undefined) folds.delete(oldest);
  }
}
