import type { Session, Subscription } from './session';

/**
 * Catch-ups one token runs at once; its other subscriptions with `since` wait their turn (subscribed, not
 * yet caught up), so that one token's many subscriptions cannot keep the log's reads to themselves.
 */
export const CATCH_UPS_PER_TOKEN = 4;

/** Per token, its running catch-ups and the subscriptions waiting for one. */
interface TokenCatchUps {
  running: number;
  waiting: Array<[Session, Subscription]>;
}

/** The hub's catch-ups, CATCH_UPS_PER_TOKEN at a time per token, each token's in the order they were asked. */
export class CatchUpQueue {
  private readonly byToken = new Map<string, TokenCatchUps>();
  /** Catch-ups started since the hub started (tests read it). */
  started = 0;

  constructor(
    private readonly run: (session: Session, subscription: Subscription) => Promise<void>,
    private readonly closing: () => boolean,
  ) {}

  /** A token's catch-ups: how many run, how many wait their turn. */
  of(tokenId: string): { running: number; waiting: number } {
    const ofToken = this.byToken.get(tokenId);
    return { running: ofToken?.running ?? 0, waiting: ofToken?.waiting.length ?? 0 };
  }

  /**
   * Queues a subscription's catch-up behind its token's others. It starts on a later turn of the event
   * loop, so a subscription cancelled by the next message of the same read never reads the log at all.
   */
  queue(session: Session, subscription: Subscription): void {
    const { tokenId } = session.actor;
    const ofToken = this.byToken.get(tokenId) ?? { running: 0, waiting: [] };
    this.byToken.set(tokenId, ofToken);
    ofToken.waiting.push([session, subscription]);
    setImmediate(() => this.start(tokenId));
  }

  private start(tokenId: string): void {
    const ofToken = this.byToken.get(tokenId);
    if (!ofToken) return;
    while (ofToken.running < CATCH_UPS_PER_TOKEN && !this.closing()) {
      const next = ofToken.waiting.shift();
      if (!next) break;
      const [session, subscription] = next;
      if (subscription.cancelled || session.closed) continue;
      ofToken.running += 1;
      this.started += 1;
      void this.run(session, subscription).finally(() => {
        ofToken.running -= 1;
        this.start(tokenId);
      });
    }
    if (ofToken.running === 0 && ofToken.waiting.length === 0) this.byToken.delete(tokenId);
  }
}
