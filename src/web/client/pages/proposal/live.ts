import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, call } from '../../api';
import { live } from '../../live';
import {
  type Comment,
  commentOf,
  entryOf,
  type HistoryEntry,
  mergeComments,
  mergeEntries,
  type ProposalView,
} from './model';

const HISTORY_PAGE = 50;
const COMMENT_PAGE = 50;

export interface Paged<T> {
  items: T[];
  /** Where the next page starts, or null when everything is loaded. */
  next: string | number | null;
  error: unknown;
}

/**
 * The proposal's history and comments, paged from the API and grown by the live topic. The topic is
 * subscribed before the first pages are read, and both are merged (by version, by comment id), so an
 * event that arrives while a page is read is neither missed nor shown twice.
 */
export function useProposalFeed(id: string, applyView: (view: ProposalView) => void) {
  const [history, setHistory] = useState<Paged<HistoryEntry>>({ items: [], next: null, error: null });
  const [comments, setComments] = useState<Paged<Comment>>({ items: [], next: null, error: null });
  const [refused, setRefused] = useState(false);

  const moreHistory = useCallback(
    (after: number) =>
      call(
        api.GET('/proposals/{id}/history', { params: { path: { id }, query: { after, limit: HISTORY_PAGE } } }),
      ).then(
        (page) =>
          setHistory((known) => ({ items: mergeEntries(known.items, page.events), next: page.next, error: null })),
        (error: unknown) => setHistory((known) => ({ ...known, error })),
      ),
    [id],
  );
  const moreComments = useCallback(
    (cursor: string | undefined) =>
      call(
        api.GET('/proposals/{id}/comments', {
          params: { path: { id }, query: { order: 'oldest', limit: COMMENT_PAGE, ...(cursor ? { cursor } : {}) } },
        }),
      ).then(
        (page) =>
          setComments((known) => ({
            items: mergeComments(known.items, page.items),
            next: page.nextCursor,
            error: null,
          })),
        (error: unknown) => setComments((known) => ({ ...known, error })),
      ),
    [id],
  );

  useEffect(() => {
    const stop = live.subscribe(`proposal:${id}`, {
      event: (frame) => {
        if (frame.view && 'endorsements' in frame.view) applyView(frame.view);
        setHistory((known) => ({ ...known, items: mergeEntries(known.items, [entryOf(frame)]) }));
        const comment = commentOf(frame);
        if (comment) setComments((known) => ({ ...known, items: mergeComments(known.items, [comment]) }));
      },
      refused: () => setRefused(true),
    });
    void moreHistory(0);
    void moreComments(undefined);
    return stop;
  }, [id]);

  const postedComment = useCallback(
    (comment: Comment) => setComments((known) => ({ ...known, items: mergeComments(known.items, [comment]) })),
    [],
  );
  return {
    history,
    comments,
    refused,
    loadMoreHistory: () => typeof history.next === 'number' && void moreHistory(history.next),
    loadMoreComments: () => typeof comments.next === 'string' && void moreComments(comments.next),
    postedComment,
  };
}
