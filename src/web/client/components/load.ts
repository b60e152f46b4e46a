import { useCallback, useLayoutEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replaces the data in place (a live event applied to it). */
  set: (update: (data: T) => T) => void;
}

/** Loads data for a page when its inputs change; a later load wins over an earlier one still running. */
export function useLoad<T>(load: () => Promise<T>, inputs: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  // A layout effect: the request leaves before the page first paints, not after.
  useLayoutEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [...inputs, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const set = useCallback((update: (data: T) => T) => setState((previous) => (previous.data === undefined ? previous : { ...previous, data: update(previous.data) })), []);
  return { ...state, reload, set };
}
