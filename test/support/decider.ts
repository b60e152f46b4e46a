import { expect } from 'vitest';

/** What a slice's decider spec needs: where its state starts and how an event moves it. */
export interface Fold<S, E> {
  initialState: S;
  evolve: (state: S, event: E) => S;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Decider specifications read as given / when / then, with no I/O:
 * `given(submitted).when(decide.revise, author, command).then([revised])`, or
 * `.thenThrows(Forbidden, /author/)`; `given()` starts from the initial state.
 */
export function givenFor<S, E>({ initialState, evolve }: Fold<S, E>) {
  return (...events: E[]) => {
    const state = events.reduce(evolve, initialState);
    return {
      state,
      when<A extends unknown[]>(decide: (state: S, ...args: A) => E[], ...args: A) {
        const run = () => decide(state, ...args);
        return {
          /** The events decided, for checks other than equality. */
          events: run,
          // biome-ignore lint/suspicious/noThenProperty: given/when/then is the specification form; nothing awaits it
          then(expected: E[]): void {
            expect(run()).toEqual(expected);
          },
          thenThrows(error: ErrorClass | RegExp, message?: RegExp): void {
            expect(run).toThrow(error);
            if (message) expect(run).toThrow(message);
          },
        };
      },
    };
  };
}
