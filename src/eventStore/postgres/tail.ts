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
  private again = false;
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
   * Catches the replica up now, one catch-up at a time; a wake-up that comes during one runs one more after
   * it (the notification may be for an event that catch-up had already passed by).
   */
  wake(): void {
    if (this.stopped) return;
    if (this.waking) {
      this.again = true;
      return;
    }
    this.waking = true;
    this.again = false;
    this.store
      .catchUp()
      .catch((error: unknown) => {
        this.lastError = error;
      })
      .finally(() => {
        this.waking = false;
        if (this.again) this.wake();
      });
  }

  private async listen(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2000 });
    let failures = attempt;
    client.on('notification', () => this.wake());
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
