import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /**
   * Applies a live event to the data. An update that comes while a load is on its way is applied again to
   * what the load brings, so a load answered before the event never undoes it (updates keep the higher
   * version, so applying one twice is harmless).
   */
  set: (update: (data: T) => T) => void;
}

/** Loads data for a page when its inputs change; a later load wins over an earlier one still running. */
export function useLoad<T>(load: () => Promise<T>, inputs: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  /** Updates received since the running load was asked for. */
  const pending = useRef<Array<(data: T) => T>>([]);
  // A layout effect: the request leaves before the page first paints, not after.
  useLayoutEffect(() => {
    let current = true;
    pending.current = [];
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (loaded) => {
        if (!current) return;
        const data = pending.current.reduce((result, update) => update(result), loaded);
        pending.current = [];
        setState({ data, error: null, loading: false });
      },
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [...inputs, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const set = useCallback((update: (data: T) => T) => {
    pending.current.push(update);
    setState((previous) => (previous.data === undefined ? previous : { ...previous, data: update(previous.data) }));
  }, []);
  return { ...state, reload, set };
}
