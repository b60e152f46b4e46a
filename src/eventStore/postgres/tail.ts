import pg from 'pg';
import type { EventStore } from '../store';

/**
 * Keeps an instance's replica up with the shared log: the log stays the truth, and a `NOTIFY` from any
 * instance's commit only wakes the tail early; it also reads every `pollMs` (a notification lost with a
 * dropped connection costs at most that long). A lost LISTEN connection is opened again, backing off.
 */
export class LogTail {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waking = false;
  /** What a wake-up that came during a catch-up asked for: a position, or the head. */
  private next: number | 'head' | undefined;
  private listening = false;
  private lastError: unknown;
  private readonly ended = new WeakSet<pg.Client>();

  constructor(
    private readonly store: EventStore,
    private readonly url: string,
    private readonly channel: string,
    private readonly pollMs: number,
  ) {}

  /** Running: listening for notifications and polling (what `/ready` reports as the live tail). */
  get running(): boolean {
    return !this.stopped && this.listening;
  }

  get error(): unknown {
    return this.lastError;
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    await this.listen();
  }

  /**
   * Catches the replica up now, to `target` when a notification named it (else to the log's head), one
   * catch-up at a time. Wake-ups that come during one run one more after it, to the furthest they named.
   */
  wake(target?: number): void {
    if (this.stopped) return;
    if (this.waking) {
      this.next = target === undefined || this.next === 'head' ? 'head' : Math.max(this.next ?? 0, target);
      return;
    }
    this.waking = true;
    (target === undefined ? this.store.catchUp() : this.store.catchUpTo(target))
      .catch((error: unknown) => {
        this.lastError = error;
      })
      .finally(() => {
        this.waking = false;
        const next = this.next;
        this.next = undefined;
        if (next !== undefined) this.wake(next === 'head' ? undefined : next);
      });
  }

  /**
   * A commit's notification carries the head it left. This instance's own commits are in its replica
   * already: those wake nothing, so a busy instance does not read the log once more per commit.
   */
  private notified(payload: string | undefined): void {
    const position = Number(payload);
    this.wake(Number.isSafeInteger(position) && position >= 1 ? position : undefined);
  }

  private async listen(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2000 });
    let failures = attempt;
    client.on('notification', (message) => this.notified(message.payload));
    client.on('error', (error) => {
      this.lastError = error;
      this.reconnect(client, failures + 1);
    });
    client.on('end', () => this.reconnect(client, failures + 1));
    try {
      await client.connect();
      // A channel name is an identifier: quoted, as it holds the schema's name.
      await client.query(`LISTEN "${this.channel.replaceAll('"', '""')}"`);
      this.client = client;
      this.listening = true;
      failures = 0;
      // Whatever was committed while no one listened.
      this.wake();
    } catch (error) {
      this.lastError = error;
      this.reconnect(client, attempt + 1);
    }
  }

  private reconnect(client: pg.Client, attempt: number): void {
    // 'error' and 'end' both come for one lost connection: one reconnection.
    if (this.ended.has(client)) return;
    this.ended.add(client);
    if (this.client === client) this.client = undefined;
    this.listening = false;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
    setTimeout(() => void this.listen(attempt), delay).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    if (this.timer) clearInterval(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
