import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { live } from '../../live';
import { mergeNewestFirst, readHead, readRange, readStream, type StoredEvent } from './logData';

/** How many events a page of the log shows, and each "Show more" adds. */
export const PAGE = 100;

export interface LogState {
  rows: StoredEvent[];
  /** The log's head as last seen (the checkpoint at load, then each live event). */
  head: number;
  /** Older events remain to be loaded (never in a stream's view, which loads the whole stream). */
  more: boolean;
  loading: boolean;
  error: unknown;
}

const EMPTY: LogState = { rows: [], head: 0, more: false, loading: true, error: null };

/**
 * The log, newest first, of the whole log or of one stream, with the `log` topic's events added at the top
 * as they are recorded. An event that arrives with a gap above the newest row loaded (recorded between the
 * load and the subscription) has the gap read first, so the table never misses one.
 */
export function useEventLog(stream: string): LogState & { showMore: () => void } {
  const [state, setState] = useState<LogState>(EMPTY);
  // The filter a result was asked for: a result for an earlier filter is dropped.
  const current = useRef(stream);
  current.current = stream;
  const latest = useRef(state);
  latest.current = state;

  const merge = useCallback((asked: string, events: StoredEvent[], patch: Partial<LogState> = {}) => {
    if (current.current !== asked) return;
    setState((previous) => ({
      ...previous,
      ...patch,
      rows: mergeNewestFirst(previous.rows, events),
      head: Math.max(
        previous.head,
        patch.head ?? 0,
        events[events.length - 1]?.position ?? 0,
        events[0]?.position ?? 0,
      ),
    }));
  }, []);
  const fail = useCallback((asked: string, error: unknown) => {
    if (current.current === asked) setState((previous) => ({ ...previous, loading: false, error }));
  }, []);

  useEffect(() => {
    setState((previous) => ({ ...EMPTY, head: previous.head }));
    const stop = live.subscribe('log', {
      event: ({ event }) => {
        setState((previous) => ({ ...previous, head: Math.max(previous.head, event.position) }));
        if (stream !== '') {
          if (event.streamId === stream) merge(stream, [event]);
          return;
        }
        const { rows, loading } = latest.current;
        const top = rows[0]?.position;
        if (!loading && top !== undefined && event.position > top + 1) {
          readRange(top, event.position - 1).then(
            (gap) => merge(stream, gap),
            (error: unknown) => fail(stream, error),
          );
        }
        merge(stream, [event]);
      },
    });
    const load =
      stream === ''
        ? readHead().then(async (head) => {
            const after = Math.max(0, head - PAGE);
            const page = await readRange(after, head);
            // Live events that arrived during the load, above a gap after the head read, get the gap too.
            const top = latest.current.rows[0]?.position ?? head;
            merge(stream, top > head + 1 ? [...page, ...(await readRange(head, top))] : page, {
              head,
              more: after > 0,
              loading: false,
            });
          })
        : Promise.all([readHead(), readStream(stream)]).then(([head, events]) =>
            merge(stream, events, { head, more: false, loading: false }),
          );
    load.catch((error: unknown) => fail(stream, error));
    return stop;
  }, [stream]);

  const showMore = useCallback(() => {
    const oldest = state.rows[state.rows.length - 1]?.position;
    if (oldest === undefined || stream !== '') return;
    const after = Math.max(0, oldest - 1 - PAGE);
    setState((previous) => ({ ...previous, loading: true, error: null }));
    readRange(after, oldest - 1).then(
      (events) => merge(stream, events, { more: after > 0, loading: false }),
      (error: unknown) => fail(stream, error),
    );
  }, [state.rows, stream]);

  return { ...state, showMore };
}
