/**
 * A socket's message budget: a token bucket that holds `burst` messages and refills `perSecond` of them
 * each second. A client that subscribes to a page's worth of topics at once fits in the burst; one that
 * keeps sending faster than the refill is refused message by message, then closed (see `serveConnection`).
 */
export class MessageBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one message from the budget; false when it is spent. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next message fits. */
  retryAfterMs(): number {
    return Math.max(0, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
  }
}
