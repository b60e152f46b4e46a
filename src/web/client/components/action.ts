import { useCallback, useState } from 'preact/hooks';

export interface Action {
  /** The action is under way (its control is disabled meanwhile). */
  busy: boolean;
  /** Its last refusal, for `ProblemNotice` and the fields; cleared when it is tried again. */
  error: unknown;
  /** Runs the action; true when it succeeded. */
  run: (action: () => Promise<void>) => Promise<boolean>;
}

/** An action the user started from a button or form: whether it is under way, and why it failed. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
