import type { StoredEvent } from '../eventStore/types';
import type { Renderer } from './render';
import type { Session, Subscription } from './session';
import { topicsOf } from './topics';
import type { TextFrame } from './wire';

/** Per topic, its sessions and each one's subscription to it (no look-up per session when publishing). */
export class Subscribers {
  private readonly byTopic = new Map<string, Map<Session, Subscription>>();
  /** Live event frames handed to sockets that stayed open, since start (the metrics' deliveries). */
  delivered = 0;

  join(session: Session, subscription: Subscription): void {
    const name = subscription.topic.name;
    const sessions = this.byTopic.get(name) ?? new Map<Session, Subscription>();
    sessions.set(session, subscription);
    this.byTopic.set(name, sessions);
  }

  leave(name: string, session: Session): void {
    const sessions = this.byTopic.get(name);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byTopic.delete(name);
  }

  sessionsOf(topic: string): Iterable<Session> {
    return this.byTopic.get(topic)?.keys() ?? [];
  }

  /**
   * Sends an event to the live subscriptions of its topics that have not dealt with it yet. Sessions corked
   * for it are added to `holding` (see `Session.hold`).
   */
  deliver(event: StoredEvent, renderer: Renderer, holding: Session[] | undefined): void {
    let json: string | undefined;
    for (const topic of topicsOf(event)) {
      const sessions = this.byTopic.get(topic);
      if (!sessions) continue;
      // The frame depends on the recipient's kind only (see `Session.recipientKind`): decided once per kind.
      const frames = new Map<string, TextFrame | null>();
      for (const [session, subscription] of sessions) {
        if (!subscription.live || event.position <= subscription.highWater) continue;
        subscription.highWater = event.position;
        let frame = frames.get(session.recipientKind);
        if (frame === undefined) {
          json ??= JSON.stringify(event);
          frame = renderer.render(topic, event, json, session.actor) ?? null;
          frames.set(session.recipientKind, frame);
        }
        if (!frame) continue;
        if (holding && session.hold()) holding.push(session);
        if (session.send(frame)) this.delivered += 1;
      }
    }
  }
}
