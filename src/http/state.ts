import type { EventStore } from '../eventStore/store';
import type { NewEvent, StoredEvent } from '../eventStore/types';

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
}

const foldedStreams = new WeakMap<EventStore, Map<string, Folded>>();
const FOLDED_STREAMS = 20_000;

/**
 * The state of a stream, folded from its events. The fold is kept per stream (states are immutable:
 * evolve returns new objects), so a command folds only the events committed since the last one, instead of
 * parsing and folding a long deliberation again for every comment. The log only grows at a stream's end,
 * so a kept fold stays true; events written by other processes are read and folded on the next load.
 */
export function loadState<S, E extends NewEvent>(
  store: EventStore,
  aggregate: Aggregate<S, E>,
  streamId: string,
): { state: S; version: number } {
  const kept = foldsOf(store).get(streamId);
  const start = kept && kept.aggregate === (aggregate as Aggregate<unknown, NewEvent>) ? kept : undefined;
  let state = (start?.state as S | undefined) ?? aggregate.initial;
  let version = start?.version ?? 0;
  for (const event of store.reader.readStream(streamId, version)) {
    state = aggregate.evolve(state, aggregate.parse(event));
    version = event.version;
  }
  keepFold(store, aggregate, streamId, state, version);
  return { state, version };
}

/**
 * Keeps the fold of a command's stream after its append, with the events it decided folded in: they are
 * the events the log now holds right after `version` (the append checked it), so the next command on the
 * stream reads nothing back, instead of re-reading and re-validating what this one has just written.
 */
export function keepAppended<S, E extends NewEvent>(
  store: EventStore,
  aggregate: Aggregate<S, E>,
  streamId: string,
  state: S,
  events: readonly E[],
  version: number,
): void {
  keepFold(store, aggregate, streamId, events.reduce((folded, event) => aggregate.evolve(folded, event), state), version);
}

function foldsOf(store: EventStore): Map<string, Folded> {
  let folds = foldedStreams.get(store);
  if (!folds) {
    folds = new Map();
    foldedStreams.set(store, folds);
  }
  return folds;
}

function keepFold<S, E extends NewEvent>(store: EventStore, aggregate: Aggregate<S, E>, streamId: string, state: S, version: number): void {
  const folds = foldsOf(store);
  // Map order is recency order: the least recently used streams are dropped first.
  folds.delete(streamId);
  if (version > 0) folds.set(streamId, { aggregate: aggregate as Aggregate<unknown, NewEvent>, state, version });
  if (folds.size > FOLDED_STREAMS) {
    const oldest = folds.keys().next().value;
    if (oldest !== undefined) folds.delete(oldest);
  }
}
