import type { Decider } from '../commands/decider';
import type { NewEvent } from '../eventStore/types';

/** A deadline as a slice's views know it: the stream it belongs to and when it falls due. */
export interface DueDeadline {
  streamId: string;
  /** ISO 8601 UTC. */
  dueAt: string;
}

/** When a deadline was due and when the scheduler fired it (the firing event records both). */
export interface Firing {
  dueAt: string;
  firedAt: string;
}

/**
 * One kind of deadline (a consultation's `closesAt`, an action item's due date, the end of a silence
 * procedure). The event that sets a deadline is the fact; the slice's views answer which deadlines are due,
 * and its stream's state decides whether there is still something to fire. The scheduler appends what
 * `fire` returns at the version the state was folded at, so a second firing is a version conflict, then
 * a decision on the new state that returns nothing.
 */
export interface DeadlineKind<S, E extends NewEvent> {
  /** Names the kind in logs and metrics. */
  name: string;
  /** The deadlines of this kind due at `now` and not fired yet, earliest first, at most `limit`. */
  due(now: Date, limit: number): DueDeadline[];
  decider: Decider<S, E>;
  /** Pure: the event that fires the deadline, or none when it no longer applies (moved, settled, fired). */
  fire(state: S, firing: Firing): E[];
}

/** A kind as the scheduler holds it: it only folds and appends, so the state's type is the kind's business. */
export type SomeDeadlineKind = DeadlineKind<unknown, NewEvent>;
