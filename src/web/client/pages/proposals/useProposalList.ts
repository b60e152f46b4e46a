import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, call } from '../../api';
import { type Filters, matches, type ProposalSummary, queryOf } from './filters';

const PAGE = 50;

export interface ProposalList {
  rows: ProposalSummary[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  showMore: () => void;
  /** A proposal's row as a live event gives it (the view this user may see, from the server). */
  apply: (row: ProposalSummary) => void;
}

interface State {
  rows: ProposalSummary[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

type ListQuery = Filters & { limit: number; cursor?: string };
type FirstPage = ReturnType<typeof readPage>;
function readPage(groupId: string, query: ListQuery) {
  return call(api.GET('/groups/{groupId}/proposals', { params: { path: { groupId }, query } }));
}

/** The first page asked for as the link to it was followed, taken once by the list it was asked for. */
let prefetched: { key: string; page: FirstPage } | null = null;
const prefetchKey = (groupId: string, filters: Filters) => `${groupId}${queryOf(filters)}`;

export function prefetchProposalList(groupId: string, filters: Filters): void {
  const page = readPage(groupId, { ...filters, limit: PAGE });
  // An unused prefetch (the page was left at once) must not report an unhandled rejection.
  page.catch(() => undefined);
  prefetched = { key: prefetchKey(groupId, filters), page };
}

function takePrefetched(groupId: string, filters: Filters): FirstPage | null {
  const found = prefetched;
  prefetched = null;
  return found && found.key === prefetchKey(groupId, filters) ? found.page : null;
}

const newestFirst = (a: ProposalSummary, b: ProposalSummary) => b.createdAt.localeCompare(a.createdAt);

/** The newest row seen of a proposal: an older row keeps the newer one it knows (with the older row's search score). */
function newest(latest: Map<string, ProposalSummary>, row: ProposalSummary): ProposalSummary {
  const known = latest.get(row.id);
  if (known && known.version > row.version) return row.score === undefined ? known : { ...known, score: row.score };
  latest.set(row.id, row);
  return row;
}

/** A page's rows joined to those shown, with the live rows a page read earlier could not hold yet. */
function join(
  latest: Map<string, ProposalSummary>,
  wanted: Filters,
  shown: ProposalSummary[],
  page: ProposalSummary[],
  nextCursor: string | null,
): ProposalSummary[] {
  const rows = new Map(shown.map((row) => [row.id, row]));
  for (const row of page) rows.set(row.id, newest(latest, row));
  if (!wanted.q) {
    const oldest = [...rows.values()].reduce<string | null>(
      (min, row) => (min === null || row.createdAt < min ? row.createdAt : min),
      null,
    );
    for (const row of latest.values()) {
      if (!rows.has(row.id) && (nextCursor === null || (oldest !== null && row.createdAt >= oldest)))
        rows.set(row.id, row);
    }
  }
  const kept = [...rows.values()].filter((row) => matches(row, wanted));
  return wanted.q ? kept : kept.sort(newestFirst);
}

/** The list after a live row: a shown row is replaced (keeping its search score) or leaves the filters; a new one joins. */
function withLiveRow(previous: State, row: ProposalSummary, wanted: Filters): State {
  const index = previous.rows.findIndex((shown) => shown.id === row.id);
  if (index >= 0) {
    const shown = previous.rows[index];
    const rows = previous.rows.slice();
    if (matches(row, wanted)) rows[index] = shown?.score === undefined ? row : { ...row, score: shown.score };
    else rows.splice(index, 1);
    return { ...previous, rows };
  }
  // A search's ranking is the server's: a new proposal joins the results when the search is run again.
  if (wanted.q || !matches(row, wanted)) return previous;
  return { ...previous, rows: [row, ...previous.rows].sort(newestFirst) };
}

/**
 * A group's proposal list under the address's filters: pages read with the API's cursor, and rows kept
 * current by live events. Every row is one the server sent to this user (a page or a frame); per proposal
 * the highest version seen wins, whichever arrived first.
 */
export function useProposalList(groupId: string, filters: Filters): ProposalList {
  const [state, setState] = useState<State>({
    rows: [],
    nextCursor: null,
    loading: true,
    loadingMore: false,
    error: null,
  });
  /** The newest row seen of each proposal, from pages and frames alike: a page read before an event never undoes it. */
  const latest = useRef(new Map<string, ProposalSummary>());
  const current = useRef(filters);
  current.current = filters;
  const key = queryOf(filters);
  const generation = useRef(0);
  const shown = useRef(state);
  shown.current = state;

  const read = (cursor: string | null) =>
    readPage(groupId, { ...current.current, limit: PAGE, ...(cursor ? { cursor } : {}) });

  // A layout effect: the list's request leaves before the first paint instead of after it.
  useLayoutEffect(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true, loadingMore: false, error: null }));
    (takePrefetched(groupId, current.current) ?? read(null)).then(
      (page) =>
        mine === generation.current &&
        setState({
          rows: join(latest.current, current.current, [], page.items, page.nextCursor),
          nextCursor: page.nextCursor,
          loading: false,
          loadingMore: false,
          error: null,
        }),
      (error: unknown) =>
        mine === generation.current && setState((previous) => ({ ...previous, loading: false, error })),
    );
  }, [groupId, key]);

  const showMore = useCallback(() => {
    const { nextCursor, loadingMore } = shown.current;
    if (nextCursor === null || loadingMore) return;
    const mine = generation.current;
    setState((previous) => ({ ...previous, loadingMore: true, error: null }));
    read(nextCursor).then(
      (page) =>
        mine === generation.current &&
        setState((now) => ({
          ...now,
          rows: join(latest.current, current.current, now.rows, page.items, page.nextCursor),
          nextCursor: page.nextCursor,
          loadingMore: false,
        })),
      (error: unknown) => mine === generation.current && setState((now) => ({ ...now, loadingMore: false, error })),
    );
  }, [groupId]);

  const apply = useCallback((row: ProposalSummary) => {
    const known = latest.current.get(row.id);
    if (known && known.version >= row.version) return;
    latest.current.set(row.id, row);
    setState((previous) => withLiveRow(previous, row, current.current));
  }, []);

  return { ...state, showMore, apply };
}
