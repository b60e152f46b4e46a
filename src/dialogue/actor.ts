import type { ActorRef, Role } from '../eventStore/types';
import type { EntityKind } from './events';

/** The authenticated caller: one person, one role, acting for an entity (or none). */
export interface Actor {
  tokenId: string;
  role: Role;
  entityId: string | null;
  entityKind: EntityKind | null;
  person: string;
}

export function actorRef(actor: Actor): ActorRef {
  return { entityId: actor.entityId, person: actor.person, role: actor.role };
}

/** Secretariat and auditors oversee the whole Dialogue: they see every group's content. */
export function oversees(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'secretariat' || actor.role === 'auditor';
}
