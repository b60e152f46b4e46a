import type { Directory } from '../dialogue/directory';
import { canSeeGroup } from '../dialogue/visibility';
import { presenceFrame } from './protocol';
import type { Renderer } from './render';
import type { Session } from './session';

/**
 * Who is connected to each group's topic: the entity ids of delegates, never persons, and only entities
 * that may (still) see the group. Pushed to the topic's subscribers whenever the set changes (join, leave, participation).
 */
export class Presence {
  /** Per topic, the set last sent, so that an unchanged set is not sent again. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly directory: Directory,
    private readonly sessionsOf: (topic: string) => Iterable<Session>,
    private readonly renderer: () => Renderer,
  ) {}

  /** The entities connected to a group's topic that may see the group, sorted. */
  of(groupId: string): string[] {
    // One visibility decision per entity and role, not per socket: a popular group has many sockets per entity.
    const decided = new Map<string, boolean>();
    const entities = new Set<string>();
    for (const session of this.sessionsOf(`group:${groupId}`)) {
      const { actor } = session;
      // Only a delegate acts for an entity: secretariat and auditors oversee the Dialogue, whatever entity an
      // older token of theirs names, and listing one would show that entity present where it may not be.
      if (actor.role !== 'delegate' || actor.entityId === null || session.closed || entities.has(actor.entityId))
        continue;
      const key = `${actor.role}|${actor.entityId}`;
      let sees = decided.get(key);
      if (sees === undefined) {
        sees = canSeeGroup(this.directory, actor, groupId);
        decided.set(key, sees);
      }
      if (sees) entities.add(actor.entityId);
    }
    return [...entities].sort();
  }

  /** Pushes a group's presence to its subscribers when the set of entities changed. */
  refresh(groupId: string): void {
    const topic = `group:${groupId}`;
    const entities = this.of(groupId);
    const text = entities.join(',');
    if (this.sent.get(topic) === text) return;
    this.sent.set(topic, text);
    const frame = presenceFrame(topic, entities);
    const renderer = this.renderer();
    for (const session of this.sessionsOf(topic)) {
      if (renderer.sees(session.actor, { groupId, visibility: 'dialogue' })) session.send(frame);
    }
  }
}
