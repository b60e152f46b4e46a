import { z } from 'zod';
import { Role } from '../eventStore/types';
import { EntityKind } from './events';

export const Entity = z.object({ id: z.string(), name: z.string(), kind: EntityKind }).meta({ id: 'Entity' });

/** A working group with its chairs and participants, each list by entity id. */
export const Group = z
  .object({
    id: z.string(),
    name: z.string(),
    chairs: z.array(z.string()),
    participants: z.array(z.string()),
  })
  .meta({ id: 'Group' });
export type Group = z.infer<typeof Group>;

/** Who the token speaks for. */
export const Me = z
  .object({ role: Role, entityId: z.string().nullable(), entityKind: EntityKind.nullable(), person: z.string() })
  .meta({ id: 'Me' });
