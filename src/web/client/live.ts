import { signal } from '@preact/signals';
import type { components } from '../api/schema';
import { api, call, serviceRoot } from './api';
import { onRouteEntered } from './router';
import { session } from './session';

type Schemas = components['schemas'];
/** The views an event frame can carry (see the AsyncAPI document, /docs/asyncapi.json). */
export type ItemView = Schemas['ProposalView'] | Schemas['ActionItemView'];
export interface LiveEvent {
  topic: string;
  position: number;
  event: Schemas['StoredEvent'];
  view: ItemView | null;
}
type ServerFrame =
  | { type: 'subscribed'; topic: string; position: number }
  | { type: 'unsubscribed'; topic: string }
  | ({ type: 'event' } & LiveEvent)
  | { type: 'presence'; topic: string; entities: string[] }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; topic?: string };

export type ConnectionStatus = 'connected' | 'reconnecting' | 'offline';

export interface TopicHandlers {
  event?: (event: LiveEvent) => void;
  presence?: (entities: string[]) => void;
  /** The topic was refused or ended (`forbidden`, `not-found`): the page says so instead of going stale. */
  refused?: (code: string, message: string) => void;
}

interface Topic {
  handlers: Set<TopicHandlers>;
  /** The last position received on the topic (or asked from): a resubscription asks for what came after it. */
  last: number;
}

const REVOKED = 4403;

/**
 * The page's one websocket. Each topic remembers the last position it received; after a drop the socket
 * reconnects and resubscribes with `since`, and a frame at or before that position is dropped, so a view
 * sees every event of its topics once, in order, whatever the connection did.
 */
class Live {
  readonly status = signal<ConnectionStatus>('offline');
  private readonly topics = new Map<string, Topic>();
  private socket: WebSocket | null = null;
  private retries = 0;
  /**
   * A position the log had reached before anything the page shows now was read: the head when the page
   * started, then every position a frame brings. A new topic is subscribed with `since` = this position,
   * so an event that falls between a page's read and its subscription still arrives (a view applied twice
   * is harmless: the higher version wins).
   */
  private head = 0;
  /** The head as it was when the current page was entered: every read of the page started after it. */
  private routeHead = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private awaitingPong = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Opens the socket; `head` is the log's head read before any page's data (`GET /health`). */
  start(head: number): void {
    this.head = Math.max(this.head, head);
    this.routeHead = Math.max(this.routeHead, head);
    if (this.socket || this.timer !== undefined) return;
    this.open();
  }

  /** A new page is entered: its topics are subscribed from the head known now, before any of its reads. */
  markRoute(): void {
    this.routeHead = this.head;
  }

  stop(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.timer);
    this.timer = undefined;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.topics.clear();
    this.status.value = 'offline';
  }

  /** Receives a topic's events from now on (and every one after a drop); returns the unsubscribe. */
  subscribe(name: string, handlers: TopicHandlers): () => void {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { handlers: new Set(), last: this.routeHead };
      this.topics.set(name, topic);
      this.send({ type: 'subscribe', topic: name, since: this.routeHead });
    }
    topic.handlers.add(handlers);
    const current = topic;
    return () => {
      current.handlers.delete(handlers);
      if (current.handlers.size > 0 || this.topics.get(name) !== current) return;
      this.topics.delete(name);
      this.send({ type: 'unsubscribe', topic: name });
    };
  }

  requestPresence(topic: string): void {
    this.send({ type: 'presence', topic });
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private open(): void {
    this.timer = undefined;
    const token = session.token.value;
    if (token === null) return;
    const url = new URL('ws', serviceRoot);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot set headers on an upgrade; the token goes in the query, which the server never logs.
    const socket = new WebSocket(`${url.href}?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.retries = 0;
      this.status.value = 'connected';
      this.startHeartbeat(socket);
      for (const [name, topic] of this.topics) this.send({ type: 'subscribe', topic: name, since: topic.last });
    };
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') this.receive(JSON.parse(message.data) as ServerFrame);
    };
    socket.onclose = (closed) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearInterval(this.heartbeat);
      // An upgrade refused with 401 (the token revoked while the socket was down) reaches the page as an
      // anonymous close: asking who the token is ends the session when it is no longer valid.
      if (!opened) void call(api.GET('/me')).catch(() => undefined);
      if (closed.code === REVOKED) {
        this.stop();
        session.end('revoked');
        return;
      }
      this.status.value = navigator.onLine ? 'reconnecting' : 'offline';
      // Back off to at most five seconds: a restarting server is back within a few.
      const delay = Math.min(5000, 250 * 2 ** this.retries);
      this.retries += 1;
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  /**
   * A ping every 25 s; a socket that has not answered the previous one by the next is taken for dead (a
   * half-open connection shows no error of its own) and replaced.
   */
  private startHeartbeat(socket: WebSocket): void {
    clearInterval(this.heartbeat);
    this.awaitingPong = false;
    this.heartbeat = setInterval(() => {
      if (this.awaitingPong) {
        socket.close(4000);
        return;
      }
      this.awaitingPong = true;
      this.send({ type: 'ping' });
    }, 25_000);
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === 'pong') {
      this.awaitingPong = false;
      return;
    }
    if (frame.type === 'unsubscribed') return;
    const topic = frame.topic === undefined ? undefined : this.topics.get(frame.topic);
    if (!topic) return;
    switch (frame.type) {
      case 'subscribed':
        this.head = Math.max(this.head, frame.position);
        return;
      case 'event':
        if (frame.position <= topic.last) return;
        topic.last = frame.position;
        this.head = Math.max(this.head, frame.position);
        for (const handlers of topic.handlers) handlers.event?.(frame);
        return;
      case 'presence':
        for (const handlers of topic.handlers) handlers.presence?.(frame.entities);
        return;
      case 'error':
        if (frame.code === 'rate-limited') {
          // The subscription was not made: asked again a moment later, from where the topic stands.
          const name = frame.topic ?? '';
          setTimeout(
            () => this.topics.get(name) === topic && this.send({ type: 'subscribe', topic: name, since: topic.last }),
            2000,
          );
          return;
        }
        if (frame.code !== 'already-subscribed' && frame.code !== 'not-subscribed') {
          this.topics.delete(frame.topic ?? '');
          for (const handlers of topic.handlers) handlers.refused?.(frame.code, frame.message);
        }
        return;
    }
  }
}

export const live = new Live();
onRouteEntered(() => live.markRoute());

addEventListener('online', () => {
  if (live.status.value === 'offline' && session.token.value !== null) live.start(0);
});
