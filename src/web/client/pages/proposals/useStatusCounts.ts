import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, call } from '../../api';
import type { ProposalStatus, ProposalSummary } from './filters';

type Known = Map<string, { status: ProposalStatus; version: number }>;

export interface StatusCounts {
  /** Proposals per status, once every page was read; null until then. */
  counts: Record<ProposalStatus, number> | null;
  error: unknown;
  apply: (row: ProposalSummary) => void;
}

function merge(known: Known, rows: readonly ProposalSummary[]): Known {
  const next = new Map(known);
  for (const { id, status, version } of rows) {
    const seen = next.get(id);
    if (!seen || seen.version < version) next.set(id, { status, version });
  }
  return next;
}

/**
 * How many of the group's proposals (those this user may see) are in each status. The API answers no
 * counts, so the unfiltered list is paged through once (from `start`, when the list is shown, so that it
 * never delays the list) and live events keep each proposal's status.
 */
export function useStatusCounts(groupId: string, start: boolean): StatusCounts {
  const [known, setKnown] = useState<Known>(new Map());
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!start) return;
    let current = true;
    setKnown(new Map());
    setComplete(false);
    setError(null);
    const readFrom = async (cursor: string | null): Promise<void> => {
      const page = await call(
        api.GET('/groups/{groupId}/proposals', {
          params: { path: { groupId }, query: { limit: 200, ...(cursor ? { cursor } : {}) } },
        }),
      );
      if (!current) return;
      setKnown((previous) => merge(previous, page.items));
      if (page.nextCursor === null) setComplete(true);
      else await readFrom(page.nextCursor);
    };
    readFrom(null).catch((failure: unknown) => current && setError(failure));
    return () => {
      current = false;
    };
  }, [groupId, start]);

  const apply = useCallback((row: ProposalSummary) => setKnown((previous) => merge(previous, [row])), []);

  let counts: Record<ProposalStatus, number> | null = null;
  if (complete) {
    counts = { open: 0, adopted: 0, rejected: 0, withdrawn: 0 };
    for (const { status } of known.values()) counts[status] += 1;
  }
  return { counts, error, apply };
}
