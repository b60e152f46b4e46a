import { Forbidden, NotFound } from '../errors';
import type { Actor } from './actor';
import { oversees } from './actor';
import type { Directory } from './directory';

export type Visibility = 'dialogue' | 'members';

/** What visibility needs to know about an item: every event of group content carries both. */
export interface Visible {
  groupId: string;
  visibility: Visibility;
}

/**
 * The one rule of who may see what, used by REST queries, websocket fan-out, search and export alike:
 * participants of a group (and secretariat/auditor) see its content; `members` content is hidden from
 * observer entities.
 */
export function canSeeGroup(directory: Directory, actor: Actor, groupId: string): boolean {
  if (oversees(actor)) return directory.group(groupId) !== undefined;
  return actor.entityId !== null && directory.participates(groupId, actor.entityId);
}

/**
 * Why the caller may not use a group's routes or topic, if it may not: an unknown group does not exist
 * (404), and a known one whose content the caller may not see is a 403: groups are not secret (`GET /groups`
 * lists them all to every token), so refusing by role or participation reveals nothing.
 */
export function groupRefusal(
  directory: Directory,
  actor: Actor,
  groupId: string,
): { status: 403 | 404; message: string } | undefined {
  if (directory.group(groupId) === undefined) return { status: 404, message: `no working group '${groupId}'` };
  if (canSeeGroup(directory, actor, groupId)) return undefined;
  return {
    status: 403,
    message: `${actor.entityId ?? `a ${actor.role} token without an entity`} does not participate in ${groupId}`,
  };
}

/** The gate of a group's REST routes: throws the 404 or 403 of `groupRefusal`. */
export function requireGroup(directory: Directory, actor: Actor, groupId: string): void {
  const refusal = groupRefusal(directory, actor, groupId);
  if (refusal) throw refusal.status === 404 ? new NotFound(refusal.message) : new Forbidden(refusal.message);
}

export function canSee(directory: Directory, actor: Actor, item: Visible): boolean {
  if (!canSeeGroup(directory, actor, item.groupId)) return false;
  return maySee(actor, true, item.visibility);
}

/** What a missing item is judged as, so that it takes the look-ups an existing one does. */
const NO_ITEM: Visible = { groupId: '', visibility: 'members' };

/**
 * Whether the caller may find an item by its id: it exists and the caller may see it. A missing item is
 * judged with the same look-ups as a hidden one, so that the time a 404 takes does not tell them apart.
 */
export function mayFind(directory: Directory, actor: Actor, item: Visible | undefined): item is Visible {
  const sees = canSee(directory, actor, item ?? NO_ITEM);
  return item !== undefined && sees;
}

/**
 * The same rule without I/O, for pure decisions: `participates` says whether the actor's entity takes part
 * in the item's group (the caller knows the group exists).
 */
export function maySee(
  actor: Pick<Actor, 'role' | 'entityKind'>,
  participates: boolean,
  visibility: Visibility,
): boolean {
  if (oversees(actor)) return true;
  return participates && (visibility === 'dialogue' || actor.entityKind === 'member');
}

/** The visibility classes a fan-out serialises once each: everything, or only `dialogue` content. */
export function seesMembersContent(actor: Pick<Actor, 'role' | 'entityKind'>): boolean {
  return oversees(actor) || actor.entityKind === 'member';
}
