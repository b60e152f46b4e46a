import WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import { CLOSE } from './protocol';
import type { Topic } from './topics';
import { type TextFrame, writeBatch, writeFrame } from './wire';

/**
 * One topic of one socket. `highWater` is the last position this subscription has dealt with (sent, or
 * skipped as invisible or foreign): nothing at or below it is ever sent again, nothing above it is skipped.
 * While `live` is false, catch-up owns the subscription and the hub leaves it alone.
 */
export interface Subscription {
  topic: Topic;
  highWater: number;
  live: boolean;
  cancelled: boolean;
}

/** An authenticated websocket: its actor, its subscriptions, and the bounded send path. */
export class Session {
  readonly subscriptions = new Map<string, Subscription>();
  missedPongs = 0;
  private ended = false;
  private readonly endedPromise: Promise<void>;
  private markEnded: () => void = () => undefined;

  constructor(
    readonly socket: WebSocket,
    readonly actor: Actor,
    private readonly maxBufferedBytes: number,
  ) {
    this.endedPromise = new Promise((resolve) => {
      this.markEnded = resolve;
    });
    socket.once('close', () => this.end());
  }

  get closed(): boolean {
    return this.ended || this.socket.readyState !== WebSocket.OPEN;
  }

  /** Resolves once the socket is closing or closed. */
  whenClosed(): Promise<void> {
    return this.endedPromise;
  }

  /**
   * Sends one text frame. A client that lets the server's send buffer pass the bound is closed with 1013 (it
   * resumes with `since`): a slow reader costs the server bounded memory and never delays anyone else.
   * Returns false when the frame could not be sent.
   */
  send(frame: TextFrame | string): boolean {
    if (this.closed) return false;
    if (typeof frame === 'string') this.socket.send(frame, { binary: false });
    else writeFrame(this.socket, frame);
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(CLOSE.tryAgainLater, 'too far behind: reconnect with since');
      return false;
    }
    return true;
  }

  /**
   * Writes a batch of complete frames (see `FrameBatch`) in one write and resolves once they have left the
   * process, false if the socket closed (catch-up paces itself on this, so that its own batches never pass
   * the send-buffer bound, and reuses the batch's buffer only after it resolved).
   */
  sendBatch(batch: Buffer): Promise<boolean> {
    if (this.closed || batch.length === 0) return Promise.resolve(!this.closed);
    return new Promise((resolve) => {
      writeBatch(this.socket, batch, (error) => resolve(!error && !this.closed));
      void this.endedPromise.then(() => resolve(false));
      if (this.socket.bufferedAmount > this.maxBufferedBytes) this.close(CLOSE.tryAgainLater, 'too far behind: reconnect with since');
    });
  }

  close(code: number, reason: string): void {
    if (this.ended) return;
    this.end();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  terminate(): void {
    this.end();
    this.socket.terminate();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const subscription of this.subscriptions.values()) subscription.cancelled = true;
    this.markEnded();
  }
}
