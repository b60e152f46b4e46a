import { VersionConflict } from '../errors';
import type { Sqlite } from '../eventStore/database';
import type { EventStore } from '../eventStore/store';
import type { AppendRequest } from '../eventStore/types';
import { entityStream, groupStream } from './events';
import { ENTITIES, GROUPS, SYSTEM_ACTOR } from './reference';

/** The request id of every event the seed writes. */
export const SEED_REQUEST_ID = 'seed';

/** The only event types the seed writes. */
const SEED_EVENT_TYPES = ['EntityRegistered', 'GroupFormed', 'ParticipantAdded'] as const;

/**
 * Whether the log holds anything beyond the reference data: a token, a proposal, a chair, a change of
 * participation. An event is the seed's when it has one of the seed's types and its request id. The request
 * id alone is not enough (a client may send `X-Request-Id: seed`), and the types alone are not either, but
 * no user can write a seed type without writing another event first: entities and groups are only
 * registered by the seed, and every entity already takes part in every group, so re-adding one needs a
 * `ParticipantRemoved` first.
 */
export function holdsUserEvents(sqlite: Sqlite): boolean {
  const types = SEED_EVENT_TYPES.map(() => '?').join(', ');
  // Raw SQL: it reads the request id inside the metadata JSON (json_extract), which Kysely does not say.
  const found = sqlite
    .prepare(
      `SELECT 1 FROM events WHERE type NOT IN (${types}) OR json_extract(metadata, '$.requestId') IS NOT ? LIMIT 1`,
    )
    .get(...SEED_EVENT_TYPES, SEED_REQUEST_ID);
  return found !== undefined;
}

/**
 * Records the reference data on a new database: every entity, both working groups, and every entity's
 * participation in both. Each stream is appended with `no-stream`, so a second process starting at the same
 * moment (or a second start) records nothing twice.
 */
export async function ensureReferenceData(store: EventStore): Promise<number> {
  const metadata = { actor: { ...SYSTEM_ACTOR }, requestId: SEED_REQUEST_ID };
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
