import { api, call, type Schemas } from '../../api';

export type StoredEvent = Schemas['StoredEvent'];

/** The most the API gives in one page of `GET /events` or `GET /streams/{streamId}`. */
const MAX_PAGE = 1000;

/** The log's head position now (`GET /events` pages forward only, so the newest page starts from it). */
export async function readHead(): Promise<number> {
  return (await call(api.GET('/health'))).position;
}

/**
 * The events at positions after `after` up to `until`, in position order. The server may answer fewer than
 * asked (a page is also capped in bytes), so it reads on from the last one it got.
 */
export async function readRange(after: number, until: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let position = after;
  while (position < until) {
    const page = await call(
      api.GET('/events', { params: { query: { after: position, limit: Math.min(MAX_PAGE, until - position) } } }),
    );
    const last = page.events.at(-1);
    if (!last) break;
    events.push(...page.events.filter((event) => event.position <= until));
    position = last.position;
  }
  return events;
}

/** Every event of one stream, in version order (a stream is one item's history: small). */
export async function readStream(streamId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: { events: StoredEvent[]; next: number | null } = await call(
      api.GET('/streams/{streamId}', { params: { path: { streamId }, query: { after, limit: MAX_PAGE } } }),
    );
    events.push(...page.events);
    after = page.next;
  }
  return events;
}

/** Rows merged by position, newest first, each position once. */
export function mergeNewestFirst(rows: readonly StoredEvent[], more: readonly StoredEvent[]): StoredEvent[] {
  const byPosition = new Map<number, StoredEvent>();
  for (const event of [...rows, ...more]) byPosition.set(event.position, event);
  return [...byPosition.values()].sort((a, b) => b.position - a.position);
}
