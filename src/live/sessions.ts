import type WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import type { TokenAuthenticator } from '../tokens/tokens';
import { CLOSE } from './protocol';
import { Session } from './session';
import type { Topic } from './topics';

/** The hub's open sockets, per token too: admission, revocation and the heartbeat. */
export class Sessions implements Iterable<Session> {
  private readonly all = new Set<Session>();
  private readonly byToken = new Map<string, Set<Session>>();

  constructor(
    private readonly tokens: TokenAuthenticator,
    private readonly limits: { maxBufferedBytes: number; maxConnectionsPerToken: number },
  ) {}

  get size(): number {
    return this.all.size;
  }

  [Symbol.iterator](): Iterator<Session> {
    return this.all[Symbol.iterator]();
  }

  /** Admits an authenticated socket, or closes it (revoked meanwhile: 4403; too many for its token: 1008). */
  admit(socket: WebSocket, actor: Actor, closing: boolean): Session | undefined {
    const session = new Session(socket, actor, this.limits.maxBufferedBytes);
    if (closing) {
      session.close(CLOSE.goingAway, 'server shutting down');
      return undefined;
    }
    if (!this.tokens.stillValid(actor.tokenId)) {
      session.close(CLOSE.revoked, 'token revoked');
      return undefined;
    }
    const ofToken = this.byToken.get(actor.tokenId) ?? new Set<Session>();
    if (ofToken.size >= this.limits.maxConnectionsPerToken) {
      session.close(CLOSE.policy, `at most ${this.limits.maxConnectionsPerToken} sockets per token`);
      return undefined;
    }
    ofToken.add(session);
    this.byToken.set(actor.tokenId, ofToken);
    this.all.add(session);
    socket.on('pong', () => {
      session.missedPongs = 0;
    });
    return session;
  }

  delete(session: Session): void {
    this.all.delete(session);
    const ofToken = this.byToken.get(session.actor.tokenId);
    ofToken?.delete(session);
    if (ofToken?.size === 0) this.byToken.delete(session.actor.tokenId);
  }

  /**
   * The subscriptions of an entity's sockets to `inGroup` topics, for the sockets whose actor no longer
   * `stillSees` the group, listed before any is ended.
   */
  subscriptionsOf(
    entityId: string,
    stillSees: (actor: Actor) => boolean,
    inGroup: (topic: Topic) => boolean,
  ): Array<[Session, string]> {
    const lost: Array<[Session, string]> = [];
    for (const session of this.all) {
      if (session.actor.entityId !== entityId || stillSees(session.actor)) continue;
      for (const [name, { topic }] of session.subscriptions) if (inGroup(topic)) lost.push([session, name]);
    }
    return lost;
  }

  /** Closes every socket of a revoked token with 4403. */
  revoke(tokenId: string): void {
    for (const session of this.byToken.get(tokenId) ?? []) session.close(CLOSE.revoked, 'token revoked');
  }

  /** Pings every socket; one that missed two pongs in a row is a dead peer and is dropped. */
  heartbeat(): void {
    for (const session of this.all) {
      if (session.missedPongs >= 2) {
        session.terminate();
        continue;
      }
      session.missedPongs += 1;
      if (!session.closed) session.socket.ping();
    }
  }
}
