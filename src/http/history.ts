import { z } from 'zod';
import type { EventStore } from '../eventStore/store';
import { ActorRef } from '../eventStore/types';

/** One step of an item's history: what happened, who did it, when. */
export const HistoryEntry = z.object({
  position: z.number().int(),
  version: z.number().int(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  actor: ActorRef,
  recordedAt: z.string(),
});
export const History = z.object({ events: z.array(HistoryEntry) });
export type History = z.infer<typeof History>;

/** The events of one item's stream with actor and time (the caller has already checked visibility). */
export function streamHistory(store: EventStore, streamId: string): History {
  return {
    events: store.reader.readStream(streamId).map((event) => ({
      position: event.position,
      version: event.version,
      type: event.type,
      data: event.data,
      actor: event.metadata.actor,
      recordedAt: event.recordedAt,
    })),
  };
}
