import { z } from 'zod';
import type { EventStore } from '../eventStore/store';
import { ActorRef, type StoredEvent, Timestamp } from '../eventStore/types';
import { readWithin } from './limits';

/** One step of an item's history: what happened, who did it, when. */
export const HistoryEntry = z
  .object({
    position: z.number().int(),
    version: z.number().int(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    actor: ActorRef,
    recordedAt: Timestamp,
  })
  .meta({ id: 'HistoryEntry' });
export const History = z
  .object({
    events: z.array(HistoryEntry),
    next: z
      .number()
      .int()
      .nullable()
      .describe('the `after` of the next page (the last version returned); null at the end'),
  })
  .meta({ id: 'History' });
export type History = z.infer<typeof History>;

/** A page of a stream's events: `after` a version, at most `limit` of them (and PAGE_BYTES). */
export const StreamPageQuery = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .describe('the version to continue after'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type StreamPageQuery = z.infer<typeof StreamPageQuery>;

/** A page of one stream's events and the `after` of the next page (null when none is left). */
export function streamPage(
  store: EventStore,
  streamId: string,
  query: StreamPageQuery,
): { events: StoredEvent[]; next: number | null } {
  const page = readWithin(
    (after, count) => store.reader.readStreamPage(streamId, after, count),
    (event) => event.version,
    query.after,
    query.limit,
  );
  return { events: page.items, next: page.more ? (page.items.at(-1)?.version ?? null) : null };
}

/** A page of the events of one item's stream with actor and time (the caller has already checked visibility). */
export function streamHistory(store: EventStore, streamId: string, query: StreamPageQuery): History {
  const { events, next } = streamPage(store, streamId, query);
  return {
    events: events.map((event) => ({
      position: event.position,
      version: event.version,
      type: event.type,
      data: event.data,
      actor: event.metadata.actor,
      recordedAt: event.recordedAt,
    })),
    next,
  };
}
