import { canonicalJson, chainHash } from './hash';
import { eventId } from './eventId';
import type { AppendRequest, Appended, Receipt, StoredEvent } from './types';

/**
 * A request's events as they continue the log at `head`, the stream at version `current`: positions,
 * versions, ids and hashes. Pure apart from the ids' randomness; both stores chain with it, so the same log
 * has the same hashes and the same export whichever store holds it.
 */
export function chainEvents(request: AppendRequest, head: Receipt, current: number, now: Date): Appended {
  const recordedAt = now.toISOString();
  const metadataCanonical = canonicalJson(request.metadata);
  const events: StoredEvent[] = [];
  let { position, hash } = head;
  let version = current;
  for (const event of request.events) {
    position += 1;
    version += 1;
    const stored: StoredEvent = {
      position,
      id: eventId(now.getTime()),
      streamId: request.streamId,
      version,
      type: event.type,
      data: event.data,
      metadata: request.metadata,
      recordedAt,
      prevHash: hash,
      hash: '',
    };
    stored.hash = chainHash(hash, stored, metadataCanonical);
    events.push(stored);
    hash = stored.hash;
  }
  return { streamId: request.streamId, version, position, events, receipt: { position, hash } };
}
