import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import { CLOSE } from './protocol';
import { recipientKind } from './render';
import type { Topic } from './topics';
import { tcpOf, type TextFrame, writeBatch, writeFrame } from './wire';

/** Bytes a held socket gathers before they are handed to the kernel anyway (see `Session.hold`). */
const HOLD_BYTES = 64 * 1024;

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
  /**
   * What the frames this socket receives depend on besides topic and event (see `Renderer.sees`): overseer,
   * or entity and kind. Sockets of the same kind get the same frame, so fan-out renders once per kind.
   */
  readonly recipientKind: string;
  missedPongs = 0;
  /** The TCP socket while it is corked by `hold`, and the bytes written to it meanwhile. */
  private held: Duplex | undefined;
  private heldBytes = 0;
  /** Batches written by `sendBatch` that have not left the process yet. */
  private readonly writesInFlight = new Set<(sent: boolean) => void>();
  private ended = false;
  private readonly endedPromise: Promise<void>;
  private markEnded: () => void = () => undefined;

  constructor(
    readonly socket: WebSocket,
    readonly actor: Actor,
    private readonly maxBufferedBytes: number,
  ) {
    this.recipientKind = recipientKind(actor);
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
    if (this.held) {
      // Held bytes have not been offered to the kernel yet: the bound is checked once they are (`release`).
      this.heldBytes += typeof frame === 'string' ? frame.length : frame.wire.length;
      if (this.heldBytes < Math.min(HOLD_BYTES, this.maxBufferedBytes / 4)) return true;
      this.held.uncork();
      this.held.cork();
      this.heldBytes = 0;
    }
    return !this.closeIfTooFarBehind();
  }

  /**
   * Writes a batch of complete frames (see `FrameBatch`) in one write and resolves once they have left the
   * process, false if the socket closed (catch-up paces itself on this, so that its own batches never pass
   * the send-buffer bound, and reuses the batch's buffer only after it resolved).
   */
  sendBatch(batch: Buffer): Promise<boolean> {
    if (this.closed || batch.length === 0) return Promise.resolve(!this.closed);
    return new Promise((resolve) => {
      // Settled once: by the write's callback, or with false when the session ends first. Kept in a set
      // rather than chained on `whenClosed`, which would keep one callback per batch for the session's life.
      const settle = (sent: boolean) => {
        if (this.writesInFlight.delete(settle)) resolve(sent);
      };
      this.writesInFlight.add(settle);
      writeBatch(this.socket, batch, (error) => settle(!error && !this.closed));
      this.closeIfTooFarBehind();
    });
  }

  /**
   * Corks the TCP socket for the rest of a synchronous publish of several events, so that all of this
   * socket's frames leave in one vectored write (one system call) instead of one each: the system call is
   * most of the cost of a delivery, and a group commit of N events would otherwise cost N system calls per
   * socket before the last socket gets the first event. Everything written meanwhile (our frames, and the
   * frames `ws` writes itself, such as presence or close) stays in order in the socket's buffer.
   * True when it started holding; the caller must then call `release` before it returns to the event loop.
   */
  hold(): boolean {
    if (this.held || this.closed) return false;
    const tcp = tcpOf(this.socket);
    if (!tcp) return false;
    tcp.cork();
    this.held = tcp;
    this.heldBytes = 0;
    return true;
  }

  /** Uncorks what `hold` corked, then applies the send-buffer bound to what the kernel did not take. */
  release(): void {
    const tcp = this.held;
    if (!tcp) return;
    this.held = undefined;
    this.heldBytes = 0;
    tcp.uncork();
    if (!this.closed) this.closeIfTooFarBehind();
  }

  /** The send-buffer bound: a socket whose unsent bytes pass it is closed with 1013 (it reconnects with `since`). */
  private closeIfTooFarBehind(): boolean {
    if (this.socket.bufferedAmount <= this.maxBufferedBytes) return false;
    this.close(CLOSE.tryAgainLater, 'too far behind: reconnect with since');
    return true;
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
    for (const settle of [...this.writesInFlight]) settle(false);
    this.markEnded();
  }
}
