import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';

/**
 * A text frame encoded once for every socket it goes to: the complete unmasked wire form (header and
 * payload), and the payload alone as a view of the same bytes.
 */
export interface TextFrame {
  wire: Buffer;
  payload: Buffer;
}

export function textFrame(text: string): TextFrame {
  const length = Buffer.byteLength(text);
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(headerLength + length);
  wire[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) {
    wire[1] = length;
  } else if (length < 65_536) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeBigUInt64BE(BigInt(length), 2);
  }
  wire.write(text, headerLength);
  return { wire, payload: wire.subarray(headerLength) };
}

/**
 * Writes a pre-encoded frame. Fan-out sends the same frame to hundreds of sockets: writing its finished bytes
 * straight to the TCP socket saves `ws` building a header and a vectored write per socket. This is sound only because permessage-deflate is off: `ws` then
 * writes every frame of its own (pings, close) synchronously, so frames never interleave or reorder, and
 * `bufferedAmount` still counts these bytes. Without access to the TCP socket it falls back to `send`.
 */
export function writeFrame(socket: WebSocket, frame: TextFrame): void {
  const tcp = tcpOf(socket);
  if (tcp) tcp.write(frame.wire);
  else socket.send(frame.payload, { binary: false });
}

/**
 * Text frames assembled in place, for catch-up's one write per batch: each payload is UTF-8 encoded once,
 * straight into the batch's buffer, with its header in front of it (no Buffer per frame, no concatenation).
 * Two buffers take turns: `take()` hands one out for writing and fills the other, so a buffer is refilled
 * only after the batch before it was written, which the caller guarantees by writing one batch at a time
 * and waiting for it to leave the process before taking the next.
 */
export class FrameBatch {
  private buffer: Buffer;
  private other: Buffer | undefined;
  /** Bytes of complete frames in the batch. */
  bytes = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(capacity, 1024));
  }

  /** Appends one text frame whose payload is `head + middle + tail` (`head` as text or as UTF-8 bytes). */
  append(head: string | Buffer, middle: string, tail: string): void {
    // UTF-8 takes at most three bytes per UTF-16 code unit; 10 bytes is the longest header.
    this.reserve((typeof head === 'string' ? 3 * head.length : head.length) + 3 * (middle.length + tail.length) + 10);
    const buffer = this.buffer;
    const start = this.bytes;
    // Written as if the header were 4 bytes (payloads of 126 to 65,535 bytes); moved if not.
    let at = start + 4;
    at += typeof head === 'string' ? buffer.write(head, at) : head.copy(buffer, at);
    at += buffer.write(middle, at);
    at += buffer.write(tail, at);
    const length = at - start - 4;
    buffer[start] = 0x81; // FIN, opcode 1 (text)
    if (length < 126) {
      buffer.copyWithin(start + 2, start + 4, at);
      buffer[start + 1] = length;
      this.bytes = start + 2 + length;
    } else if (length < 65_536) {
      buffer[start + 1] = 126;
      buffer.writeUInt16BE(length, start + 2);
      this.bytes = at;
    } else {
      buffer.copyWithin(start + 10, start + 4, at);
      buffer[start + 1] = 127;
      buffer.writeUInt32BE(Math.floor(length / 2 ** 32), start + 2);
      buffer.writeUInt32BE(length >>> 0, start + 6);
      this.bytes = start + 10 + length;
    }
  }

  /** Hands out the frames assembled so far and starts an empty batch in the other buffer. */
  take(): Buffer {
    const full = this.buffer;
    const taken = full.subarray(0, this.bytes);
    this.buffer = this.other ?? Buffer.allocUnsafeSlow(full.length);
    this.other = full;
    this.bytes = 0;
    return taken;
  }

  private reserve(needed: number): void {
    if (this.bytes + needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.bytes + needed));
    this.buffer.copy(grown, 0, 0, this.bytes);
    this.buffer = grown;
  }
}

/**
 * Writes a batch of complete frames (from `FrameBatch`) in one write; `written` is called once they have left
 * the process. Without access to the TCP socket, each frame is sent with `send`, from a copy (the batch's
 * buffer is reused).
 */
export function writeBatch(socket: WebSocket, batch: Buffer, written: (error?: Error | null) => void): void {
  const tcp = tcpOf(socket);
  if (tcp) {
    tcp.write(batch, written);
    return;
  }
  const payloads: Buffer[] = [];
  for (let at = 0; at < batch.length; ) {
    const short = (batch[at + 1] ?? 0) & 0x7f;
    const headerLength = short < 126 ? 2 : short === 126 ? 4 : 10;
    const length =
      short < 126
        ? short
        : short === 126
          ? batch.readUInt16BE(at + 2)
          : batch.readUInt32BE(at + 2) * 2 ** 32 + batch.readUInt32BE(at + 6);
    payloads.push(Buffer.from(batch.subarray(at + headerLength, at + headerLength + length)));
    at += headerLength + length;
  }
  if (payloads.length === 0) {
    written();
    return;
  }
  const last = payloads.length - 1;
  for (const [index, payload] of payloads.entries()) {
    socket.send(payload, { binary: false }, index === last ? written : undefined);
  }
}

/** The TCP socket under a websocket, while it can be written to. */
export function tcpOf(socket: WebSocket): Duplex | undefined {
  const tcp = (socket as unknown as { _socket?: Duplex | null })._socket;
  return tcp?.writable ? tcp : undefined;
}
