import { Forbidden } from '../errors';
import type { Actor } from './actor';
import type { Directory } from './directory';

/** Who is acting, and where their entity takes part: everything a pure decision needs to know about the caller. */
export interface Participant {
  actor: Pick<Actor, 'role' | 'entityId' | 'entityKind'>;
  /** Groups the actor's entity participates in. */
  groups: ReadonlySet<string>;
  /** Groups the actor's entity chairs. */
  chairs: ReadonlySet<string>;
}

/**
 * Reads the caller's participation and chairs from the directory, once per command, as of the request's
 * view generation (`request.viewGeneration`; the current one without it).
 */
export function participantOf(directory: Directory, actor: Actor, generation?: number): Participant {
  const groups = new Set<string>();
  const chairs = new Set<string>();
  if (actor.entityId !== null) {
    for (const { groupId, chair } of directory.participationOf(actor.entityId, generation)) {
      groups.add(groupId);
      if (chair) chairs.add(groupId);
    }
  }
  return { actor, groups, chairs };
}

/** The caller's entity, if the caller is a delegate acting for one: only delegates deliberate and act. */
export function requireDelegate(who: Participant, action: string): string {
  if (who.actor.role !== 'delegate' || who.actor.entityId === null) {
    throw new Forbidden(`only delegates acting for an entity may ${action}; this token's role is ${who.actor.role}`);
  }
  return who.actor.entityId;
}
