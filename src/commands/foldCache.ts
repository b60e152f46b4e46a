import type { EventStore } from '../eventStore/store';
import type { NewEvent } from '../eventStore/types';
import type { ViewGeneration } from '../eventStore/viewGeneration';
import type { Decider } from './decider';

/** A stream's state at its version, and the view generation it is known complete at. */
export interface LoadedState<S> {
  state: S;
  version: number;
  generation: number;
}

interface Folded {
  decider: Decider<unknown, NewEvent>;
  state: unknown;
  version: number;
  /** The view generation at which the log was known to hold nothing beyond `version`. */
  generation: number;
}

const FOLDED_STREAMS = 20_000;

/**
 * The state of each stream a command wrote, folded from its events and kept (states are immutable: evolve
 * returns new objects), so a command folds only the events committed since the last one instead of parsing
 * and folding a long deliberation again for every comment. The log only grows at a stream's end, so a kept
 * fold stays true. The log is read for what may follow it only when another connection has committed since
 * the fold was last known complete (the view generation moved): this process's own appends to the stream
 * are folded in by `keepAppended`, or drop the fold when they come another way.
 */
export class FoldCache {
  /** Least recently used first. */
  private readonly folds = new Map<string, Folded>();
  /** The version each stream reached in this process's last group commit. */
  private lastCommit = new Map<string, number>();
  private following = false;

  constructor(
    private readonly store: EventStore,
    private readonly generation: ViewGeneration,
  ) {}

  /** The stream's state, as of the request's view generation (or the current one). */
  load<S, E extends NewEvent>(
    decider: Decider<S, E>,
    streamId: string,
    generation = this.generation.check(),
  ): LoadedState<S> {
    this.follow();
    const kept = this.folds.get(streamId);
    const start = kept && kept.decider === (decider as Decider<unknown, NewEvent>) ? kept : undefined;
    // A fold known complete at the request's generation or a later one is at least as new as the request needs.
    if (start && start.generation >= generation) return { state: start.state as S, version: start.version, generation };
    let state = (start?.state as S | undefined) ?? decider.initialState;
    let version = start?.version ?? 0;
    for (const event of this.store.reader.readStream(streamId, version)) {
      state = decider.evolve(state, decider.parse(event));
      version = event.version;
    }
    // Read just now: complete as of the last check, which may be newer than the request's.
    this.keep(decider, streamId, state, version, Math.max(generation, this.generation.current()));
    return { state, version, generation };
  }

  /** Drops a stream's kept fold: the next load reads the stream from the log (after a version conflict). */
  forget(streamId: string): void {
    this.folds.delete(streamId);
  }

  /**
   * Keeps the fold of a command's stream after its append, with the events it decided folded in: they are
   * the events the log now holds right after `version` (the append checked it), so the next command on the
   * stream reads nothing back. The fold is complete as of the generation `loaded` was read at: the append
   * checked that the stream stood where `loaded` did when it committed (a commit by another connection since
   * moves the generation past it, and the next load reads the log).
   */
  keepAppended<S, E extends NewEvent>(
    decider: Decider<S, E>,
    streamId: string,
    loaded: LoadedState<S>,
    events: readonly E[],
    version: number,
  ): void {
    this.follow();
    // Another append of this process to the stream in the same group commit, after this one: the log is past
    // `version`, and the next load reads it.
    if ((this.lastCommit.get(streamId) ?? 0) > version) {
      this.folds.delete(streamId);
      return;
    }
    const state = events.reduce((folded, event) => decider.evolve(folded, event), loaded.state);
    this.keep(decider, streamId, state, version, loaded.generation);
  }

  /**
   * From the first load on, an append of this process that no command folds in (another write path) drops
   * the fold it leaves behind the log, at its commit. The listener runs before the commit's appends are
   * acknowledged, so a command of the same group commit resumes after it and finds in `lastCommit` whether
   * its stream went further than its own events. (A runtime that never runs a command pays nothing per commit.)
   */
  private follow(): void {
    if (this.following) return;
    this.following = true;
    this.store.onCommit((events) => {
      this.lastCommit = new Map();
      for (const event of events) {
        this.lastCommit.set(event.streamId, event.version);
        const fold = this.folds.get(event.streamId);
        if (fold && fold.version < event.version) this.folds.delete(event.streamId);
      }
    });
  }

  private keep<S, E extends NewEvent>(
    decider: Decider<S, E>,
    streamId: string,
    state: S,
    version: number,
    generation: number,
  ): void {
    const { folds } = this;
    // Map order is recency order: the least recently used streams are dropped first.
    folds.delete(streamId);
    if (version > 0)
      folds.set(streamId, { decider: decider as Decider<unknown, NewEvent>, state, version, generation });
    if (folds.size > FOLDED_STREAMS) {
      const oldest = folds.keys().next().value;
      if (oldest !== undefined) folds.delete(oldest);
    }
  }
}
