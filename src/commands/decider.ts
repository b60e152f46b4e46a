import type { NewEvent, StoredEvent } from '../eventStore/types';

/**
 * What the command layer needs of a slice's stream: its state before any event, how each event changes it,
 * and how a stored event of the stream is read back (validated). The decisions themselves are the slice's
 * pure `decide` functions, one per command, which take this state.
 */
export interface Decider<S, E extends NewEvent> {
  initialState: S;
  evolve(state: S, event: E): S;
  parse(event: StoredEvent): E;
}
