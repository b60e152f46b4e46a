import { VersionConflict } from '../errors';
import type { EventStore } from '../eventStore/store';
import type { AppendRequest } from '../eventStore/types';
import { entityStream, groupStream } from './events';
import { ENTITIES, GROUPS, SYSTEM_ACTOR } from './reference';

/**
 * Records the reference data on a new database: every entity, both working groups, and every entity's
 * participation in both. Each stream is appended with `no-stream`, so a second process starting at the same
 * moment (or a second start) records nothing twice.
 */
export async function ensureReferenceData(store: EventStore): Promise<number> {
  const metadata = { actor: { ...SYSTEM_ACTOR }, requestId: 'seed' };
  const requests: AppendRequest[] = [
    ...ENTITIES.map((entity) => ({
      streamId: entityStream(entity.id),
      expectedVersion: 'no-stream' as const,
      events: [{ type: 'EntityRegistered', data: { entityId: entity.id, name: entity.name, kind: entity.kind } }],
      metadata,
    })),
    ...GROUPS.map((group) => ({
      streamId: groupStream(group.id),
      expectedVersion: 'no-stream' as const,
      events: [
        { type: 'GroupFormed', data: { groupId: group.id, name: group.name } },
        ...ENTITIES.map((entity) => ({ type: 'ParticipantAdded', data: { groupId: group.id, entityId: entity.id } })),
      ],
      metadata,
    })),
  ];
  const pending = requests.filter((request) => store.version(request.streamId) === 0);
  const outcomes = await Promise.allSettled(pending.map((request) => store.append(request)));
  let recorded = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') recorded += 1;
    else if (!(outcome.reason instanceof VersionConflict)) throw outcome.reason;
  }
  return recorded;
}
