import type WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import type { Directory } from '../dialogue/directory';
import { canSeeGroup } from '../dialogue/visibility';
import type { EventStore } from '../eventStore/store';
import type { StoredEvent } from '../eventStore/types';
import type { TokenAuthenticator } from '../tokens/tokens';
import { MessageBudget } from './budget';
import { runCatchUp } from './catchup';
import { CatchUpQueue } from './catchUpQueue';
import { LogPages } from './pages';
import { Presence } from './presence';
import { CLOSE, errorFrame, subscribedFrame } from './protocol';
import { Renderer } from './render';
import type { Session, Subscription } from './session';
import { Sessions } from './sessions';
import { Subscribers } from './subscribers';
import type { Topic } from './topics';
import type { ViewResolver } from './views';

export interface HubOptions {
  maxBufferedBytes: number;
  maxConnectionsPerToken: number;
  heartbeatMs: number;
  /** How often the log's head is read to pick up events committed by other processes (the token CLI). */
  tailMs: number;
  /** Each socket's message budget (see MessageBudget). */
  messagesPerSecond: number;
  messageBurst: number;
  /** Where failures of the hub's own work (a catch-up's read) are logged. */
  log: (error: unknown, what: string) => void;
}

const GAP_PAGE = 500;

/**
 * The live hub: the only publisher. It is fed by the store's commits and by a tail of the log (events
 * other processes commit), and publishes every position exactly once, in order, filling any gap from the
 * log. `published` is the last position published: catch-up reads the log up to it and then switches the
 * subscription to live in the same synchronous step, so the handoff has no gap and no duplicate.
 */
export class LiveHub {
  published: number;
  readonly pages: LogPages;
  /** Events read from the log per catch-up page (tests shrink it to make handoffs frequent). */
  catchUpPageSize = 500;
  private readonly sessions: Sessions;
  private readonly subscribers = new Subscribers();
  private readonly presenceOf: Presence;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopCommits: () => void = () => undefined;
  private closing = false;
  /** While a publish of several events runs: the sessions it corked (see `Session.hold`). */
  private holding: Session[] | undefined;
  /** Catch-ups running and waiting their turn (tests read them). */
  readonly catchUps = new CatchUpQueue(
    (session, subscription) => runCatchUp(this, session, subscription),
    () => this.closing,
  );

  constructor(
    readonly store: EventStore,
    readonly directory: Directory,
    tokens: TokenAuthenticator,
    readonly resolver: ViewResolver,
    private readonly options: HubOptions,
  ) {
    this.published = store.reader.head().position;
    this.pages = new LogPages(store.sqlite);
    this.sessions = new Sessions(tokens, options);
    this.presenceOf = new Presence(
      directory,
      (topic) => this.subscribers.sessionsOf(topic),
      () => this.renderer(),
    );
  }

  /** Entities connected to a group's topic that may (still) see the group. */
  presence(groupId: string): string[] {
    return this.presenceOf.of(groupId);
  }

  start(): void {
    this.stopCommits = this.store.onCommit((events) => this.publish(events));
    this.pages.prepare();
    const tail = setInterval(() => this.tail(), this.options.tailMs);
    const heartbeat = setInterval(() => this.sessions.heartbeat(), this.options.heartbeatMs);
    tail.unref();
    heartbeat.unref();
    this.timers.push(tail, heartbeat);
  }

  /** Stops publishing and closes every socket with 1001 (going away). */
  close(): void {
    this.closing = true;
    this.stopCommits();
    for (const timer of this.timers) clearInterval(timer);
    for (const session of [...this.sessions]) session.close(CLOSE.goingAway, 'server shutting down');
    this.pages.close();
  }

  renderer(): Renderer {
    return new Renderer(this.directory, this.resolver);
  }

  /** A renderer for catch-up: superseded events of an item carry no view (see Renderer). */
  catchUpRenderer(versions: Map<string, number>): Renderer {
    return new Renderer(this.directory, this.resolver, (streamId) => {
      let version = versions.get(streamId);
      if (version === undefined) {
        version = this.store.version(streamId);
        versions.set(streamId, version);
      }
      return version;
    });
  }

  /** Logs a failure of the hub's own work. */
  failed(error: unknown, what: string): void {
    this.options.log(error, what);
  }

  /** A new socket's message budget. */
  messageBudget(): MessageBudget {
    return new MessageBudget(this.options.messagesPerSecond, this.options.messageBurst);
  }

  get maxBufferedBytes(): number {
    return this.options.maxBufferedBytes;
  }

  /** Live event frames sent to sockets since start. */
  get deliveries(): number {
    return this.subscribers.delivered;
  }

  get connections(): number {
    return this.sessions.size;
  }

  /** Admits an authenticated socket, or closes it (revoked meanwhile: 4403; too many for its token: 1008). */
  connect(socket: WebSocket, actor: Actor): Session | undefined {
    const session = this.sessions.admit(socket, actor, this.closing);
    if (session) void session.whenClosed().then(() => this.remove(session));
    return session;
  }

  /** Starts an authorised subscription: `subscribed` first, then catch-up from `since` if given, then live. */
  subscribe(session: Session, topic: Topic, since: number | undefined): void {
    const head = this.published;
    const subscription: Subscription = {
      topic,
      highWater: since === undefined ? head : since,
      live: since === undefined || since >= head,
      cancelled: false,
    };
    session.subscriptions.set(topic.name, subscription);
    this.subscribers.join(session, subscription);
    session.send(subscribedFrame(topic.name, head));
    if (topic.kind === 'group') this.presenceOf.refresh(topic.id);
    if (!subscription.live) this.catchUps.queue(session, subscription);
  }

  unsubscribe(session: Session, name: string): boolean {
    const subscription = session.subscriptions.get(name);
    if (!subscription) return false;
    subscription.cancelled = true;
    session.subscriptions.delete(name);
    this.subscribers.leave(name, session);
    if (subscription.topic.kind === 'group') this.presenceOf.refresh(subscription.topic.id);
    return true;
  }

  /** Publishes committed events once each, in position order; what is already published is skipped. */
  publish(events: readonly StoredEvent[]): void {
    // Several events (a group commit, a gap, the tail): each socket gets all of its frames in one write.
    const first = events[0];
    const hold =
      this.holding === undefined && first !== undefined && (events.length > 1 || first.position > this.published + 1);
    if (hold) this.holding = [];
    try {
      const renderer = this.renderer();
      const groupsChanged = new Set<string>();
      for (const event of events) {
        if (event.position <= this.published) continue;
        if (event.position > this.published + 1) this.publishFromLog(event.position - 1);
        this.publishOne(event, renderer, groupsChanged);
      }
      for (const groupId of groupsChanged) this.presenceOf.refresh(groupId);
    } finally {
      if (hold) {
        const held = this.holding ?? [];
        this.holding = undefined;
        for (const session of held) session.release();
      }
    }
  }

  /** Reads the log's head: events committed by another process are published within one interval. */
  tail(): void {
    const head = this.store.reader.head().position;
    if (head > this.published) this.publishFromLog(head);
  }

  private publishFromLog(until: number): void {
    while (this.published < until) {
      const page = this.store.reader.readPage(this.published, Math.min(GAP_PAGE, until - this.published));
      if (page.length === 0) return;
      this.publish(page);
    }
  }

  private publishOne(event: StoredEvent, renderer: Renderer, groupsChanged: Set<string>): void {
    this.published = event.position;
    this.subscribers.deliver(event, renderer, this.holding);
    if (event.type === 'TokenRevoked' && typeof event.data.tokenId === 'string')
      this.sessions.revoke(event.data.tokenId);
    if (
      (event.type === 'ParticipantAdded' || event.type === 'ParticipantRemoved') &&
      typeof event.data.groupId === 'string'
    ) {
      groupsChanged.add(event.data.groupId);
      if (event.type === 'ParticipantRemoved' && typeof event.data.entityId === 'string')
        this.endAccess(event.data.entityId, event.data.groupId);
    }
  }

  /**
   * An entity removed from a group loses its sockets' subscriptions to the group and to the group's items,
   * each with an error frame saying why, instead of a subscription that silently stops.
   */
  private endAccess(entityId: string, groupId: string): void {
    const stillSees = (actor: Actor) => canSeeGroup(this.directory, actor, groupId);
    const inGroup = (topic: Topic) =>
      topic.kind === 'group'
        ? topic.id === groupId
        : (topic.kind === 'proposal' || topic.kind === 'action-item') &&
          this.resolver.facts(topic.kind, topic.id)?.groupId === groupId;
    for (const [session, name] of this.sessions.subscriptionsOf(entityId, stillSees, inGroup)) {
      this.unsubscribe(session, name);
      const message = `${entityId} no longer participates in ${groupId}: this subscription has ended`;
      session.send(errorFrame('forbidden', message, name));
    }
  }

  private remove(session: Session): void {
    this.sessions.delete(session);
    for (const [name, subscription] of session.subscriptions) {
      this.subscribers.leave(name, session);
      if (subscription.topic.kind === 'group') this.presenceOf.refresh(subscription.topic.id);
    }
  }
}
