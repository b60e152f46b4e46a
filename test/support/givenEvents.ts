import { type DatabaseHandle, openDatabase } from '../../src/eventStore/database';
import type { ProjectionFactory } from '../../src/eventStore/projections';
import type { ActorRef, NewEvent, StoredEvent } from '../../src/eventStore/types';
import { ViewGeneration } from '../../src/eventStore/viewGeneration';

/** Who the events of a projection spec were written by, unless a spec says otherwise. */
export const CHAIR: ActorRef = { entityId: 'interpol', person: 'Ana Chair', role: 'delegate' };

/** One event as the log would hand it to a projection: its stream, who wrote it and when. */
export interface Given extends NewEvent {
  streamId: string;
  actor?: ActorRef;
  at?: string;
}

/**
 * Projection specifications read as "given these events, these rows": a real SQLite database opened with the
 * migrations, one projection, and the events applied to it as the store would (positions in order, each
 * stream's versions counted from 1).
 */
export async function projectionSpec(factory: ProjectionFactory) {
  const db: DatabaseHandle = await openDatabase({ url: ':memory:' });
  const generation = new ViewGeneration(db.sqlite);
  const projection = factory(db.sqlite, generation);
  const versions = new Map<string, number>();
  let position = 0;
  return {
    sqlite: db.sqlite,
    /** The view generation the projection moves when reference data changes. */
    generation,
    close: () => db.close(),
    /** Applies the events in order and returns them as stored. */
    given(...events: Given[]): StoredEvent[] {
      return events.map(({ streamId, actor = CHAIR, at = '2026-03-02T09:00:00.000Z', type, data }) => {
        position += 1;
        const version = (versions.get(streamId) ?? 0) + 1;
        versions.set(streamId, version);
        const stored: StoredEvent = {
          position,
          id: `event-${position}`,
          streamId,
          version,
          type,
          data,
          metadata: { actor, requestId: `request-${position}` },
          recordedAt: at,
          prevHash: '',
          hash: '',
        };
        projection.apply(stored);
        return stored;
      });
    },
  };
}
