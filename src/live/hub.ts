import type WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import type { Directory } from '../dialogue/directory';
import { canSeeGroup } from '../dialogue/visibility';
import type { EventStore } from '../eventStore/store';
import type { StoredEvent } from '../eventStore/types';
import type { TokenAuthenticator } from '../tokens/tokens';
import { MessageBudget } from './budget';
import { runCatchUp } from './catchup';
import { LogPages } from './pages';
import { Presence } from './presence';
import { CLOSE, errorFrame, subscribedFrame } from './protocol';
import type { TextFrame } from './wire';
import { Renderer } from './render';
import { Session, type Subscription } from './session';
import { topicsOf, type Topic } from './topics';
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
 * Catch-ups one token runs at once; its other subscriptions with `since` wait their turn (subscribed, not
 * yet caught up), so that one token's many subscriptions cannot keep the log's reads to themselves.
 */
export const CATCH_UPS_PER_TOKEN = 4;

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
  private readonly sessions = new Set<Session>();
  /** Per topic, its sessions and each one's subscription to it (no look-up per session when publishing). */
  private readonly byTopic = new Map<string, Map<Session, Subscription>>();
  private readonly byToken = new Map<string, Set<Session>>();
  private readonly presenceOf: Presence;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopCommits: () => void = () => undefined;
  private closing = false;
  /** While a publish of several events runs: the sessions it corked (see `Session.hold`). */
  private holding: Session[] | undefined;
  /** Per token, its running catch-ups and the subscriptions waiting for one. */
  private readonly catchUps = new Map<string, { running: number; waiting: Array<[Session, Subscription]> }>();
  /** Catch-ups started since the hub started (tests read it). */
  catchUpsStarted = 0;

  constructor(
    readonly store: EventStore,
    readonly directory: Directory,
    private readonly tokens: TokenAuthenticator,
    readonly resolver: ViewResolver,
    private readonly options: HubOptions,
  ) {
    this.published = store.reader.head().position;
    this.pages = new LogPages(store.sqlite);
    this.presenceOf = new Presence(
      directory,
      (topic) => this.byTopic.get(topic)?.keys() ?? [],
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
    const heartbeat = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
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

  get connections(): number {
    return this.sessions.size;
  }

  /** Admits an authenticated socket, or closes it (revoked meanwhile: 4403; too many for its token: 1008). */
  connect(socket: WebSocket, actor: Actor): Session | undefined {
    const session = new Session(socket, actor, this.options.maxBufferedBytes);
    if (this.closing) {
      session.close(CLOSE.goingAway, 'server shutting down');
      return undefined;
    }
    if (!this.tokens.stillValid(actor.tokenId)) {
      session.close(CLOSE.revoked, 'token revoked');
      return undefined;
    }
    const ofToken = this.byToken.get(actor.tokenId) ?? new Set<Session>();
    if (ofToken.size >= this.options.maxConnectionsPerToken) {
      session.close(CLOSE.policy, `at most ${this.options.maxConnectionsPerToken} sockets per token`);
      return undefined;
    }
    ofToken.add(session);
    this.byToken.set(actor.tokenId, ofToken);
    this.sessions.add(session);
    socket.on('pong', () => {
      session.missedPongs = 0;
    });
    void session.whenClosed().then(() => this.remove(session));
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
    const sessions = this.byTopic.get(topic.name) ?? new Map<Session, Subscription>();
    sessions.set(session, subscription);
    this.byTopic.set(topic.name, sessions);
    session.send(subscribedFrame(topic.name, head));
    if (topic.kind === 'group') this.presenceOf.refresh(topic.id);
    if (!subscription.live) this.queueCatchUp(session, subscription);
  }

  /** A token's catch-ups: how many run, how many wait their turn. */
  catchUpsOf(tokenId: string): { running: number; waiting: number } {
    const ofToken = this.catchUps.get(tokenId);
    return { running: ofToken?.running ?? 0, waiting: ofToken?.waiting.length ?? 0 };
  }

  /**
   * Queues a subscription's catch-up behind its token's others. It starts on a later turn of the event
   * loop, so a subscription cancelled by the next message of the same read never reads the log at all.
   */
  private queueCatchUp(session: Session, subscription: Subscription): void {
    const { tokenId } = session.actor;
    const ofToken = this.catchUps.get(tokenId) ?? { running: 0, waiting: [] };
    this.catchUps.set(tokenId, ofToken);
    ofToken.waiting.push([session, subscription]);
    setImmediate(() => this.startCatchUps(tokenId));
  }

  private startCatchUps(tokenId: string): void {
    const ofToken = this.catchUps.get(tokenId);
    if (!ofToken) return;
    while (ofToken.running < CATCH_UPS_PER_TOKEN && !this.closing) {
      const next = ofToken.waiting.shift();
      if (!next) break;
      const [session, subscription] = next;
      if (subscription.cancelled || session.closed) continue;
      ofToken.running += 1;
      this.catchUpsStarted += 1;
      void runCatchUp(this, session, subscription).finally(() => {
        ofToken.running -= 1;
        this.startCatchUps(tokenId);
      });
    }
    if (ofToken.running === 0 && ofToken.waiting.length === 0) this.catchUps.delete(tokenId);
  }

  unsubscribe(session: Session, name: string): boolean {
    const subscription = session.subscriptions.get(name);
    if (!subscription) return false;
    subscription.cancelled = true;
    session.subscriptions.delete(name);
    this.leaveTopic(name, session);
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
    let json: string | undefined;
    const holding = this.holding;
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
        session.send(frame);
      }
    }
    if (event.type === 'TokenRevoked' && typeof event.data.tokenId === 'string') this.revoke(event.data.tokenId);
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
    for (const session of this.sessions) {
      if (session.actor.entityId !== entityId || canSeeGroup(this.directory, session.actor, groupId)) continue;
      for (const [name, { topic }] of [...session.subscriptions]) {
        const inGroup =
          topic.kind === 'group'
            ? topic.id === groupId
            : topic.kind !== 'log' && this.resolver.facts(topic.kind, topic.id)?.groupId === groupId;
        if (!inGroup) continue;
        this.unsubscribe(session, name);
        session.send(
          errorFrame(
            'forbidden',
            `${entityId} no longer participates in ${groupId}: this subscription has ended`,
            name,
          ),
        );
      }
    }
  }

  private revoke(tokenId: string): void {
    for (const session of this.byToken.get(tokenId) ?? []) session.close(CLOSE.revoked, 'token revoked');
  }

  private remove(session: Session): void {
    this.sessions.delete(session);
    const ofToken = this.byToken.get(session.actor.tokenId);
    ofToken?.delete(session);
    if (ofToken?.size === 0) this.byToken.delete(session.actor.tokenId);
    for (const [name, subscription] of session.subscriptions) {
      this.leaveTopic(name, session);
      if (subscription.topic.kind === 'group') this.presenceOf.refresh(subscription.topic.id);
    }
  }

  private leaveTopic(name: string, session: Session): void {
    const sessions = this.byTopic.get(name);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byTopic.delete(name);
  }

  /** Pings every socket; one that missed two pongs in a row is a dead peer and is dropped. */
  private heartbeat(): void {
    for (const session of this.sessions) {
      if (session.missedPongs >= 2) {
        session.terminate();
        continue;
      }
      session.missedPongs += 1;
      if (!session.closed) session.socket.ping();
    }
  }
}
