import { z } from 'zod';

export const EntityKind = z.enum(['member', 'observer']);
export type EntityKind = z.infer<typeof EntityKind>;

export const EntityRegistered = z.strictObject({
  type: z.literal('EntityRegistered'),
  data: z.strictObject({ entityId: z.string(), name: z.string(), kind: EntityKind }),
});
export type EntityRegistered = z.infer<typeof EntityRegistered>;

export const GroupFormed = z.strictObject({
  type: z.literal('GroupFormed'),
  data: z.strictObject({ groupId: z.string(), name: z.string() }),
});
export type GroupFormed = z.infer<typeof GroupFormed>;

export const ParticipantAdded = z.strictObject({
  type: z.literal('ParticipantAdded'),
  data: z.strictObject({ groupId: z.string(), entityId: z.string() }),
});
export type ParticipantAdded = z.infer<typeof ParticipantAdded>;

export const ParticipantRemoved = z.strictObject({
  type: z.literal('ParticipantRemoved'),
  data: z.strictObject({ groupId: z.string(), entityId: z.string() }),
});
export type ParticipantRemoved = z.infer<typeof ParticipantRemoved>;

export const ChairAppointed = z.strictObject({
  type: z.literal('ChairAppointed'),
  data: z.strictObject({ groupId: z.string(), entityId: z.string() }),
});
export type ChairAppointed = z.infer<typeof ChairAppointed>;

export const ChairRemoved = z.strictObject({
  type: z.literal('ChairRemoved'),
  data: z.strictObject({ groupId: z.string(), entityId: z.string() }),
});
export type ChairRemoved = z.infer<typeof ChairRemoved>;

/** Events of a `group-<id>` stream. */
export const GroupEvent = z.discriminatedUnion('type', [
  GroupFormed,
  ParticipantAdded,
  ParticipantRemoved,
  ChairAppointed,
  ChairRemoved,
]);
export type GroupEvent = z.infer<typeof GroupEvent>;

export const DialogueEvent = z.discriminatedUnion('type', [EntityRegistered, ...GroupEvent.options]);
export type DialogueEvent = z.infer<typeof DialogueEvent>;

export const groupStream = (groupId: string) => `group-${groupId}`;
export const entityStream = (entityId: string) => `entity-${entityId}`;
