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
 * straight to the TCP socket saves `ws` building a header and a vectored write per socket (about a quarter
 * of the cost of a delivery, measured). This is sound only because permessage-deflate is off: `ws` then
 * writes every frame of its own (pings, close) synchronously, so frames never interleave or reorder, and
 * `bufferedAmount` still counts these bytes. Without access to the TCP socket it falls back to `send`.
 */
export function writeFrame(socket: WebSocket, frame: TextFrame): void {
  const tcp = tcpOf(socket);
  if (tcp) tcp.write(frame.wire);
  else socket.send(frame.payload, { binary: false });
}

/** Writes several frames in one write (catch-up sends a page at once: one system call, not hundreds). */
export function writeFrames(socket: WebSocket, frames: readonly TextFrame[], written: (error?: Error | null) => void): void {
  const tcp = tcpOf(socket);
  if (tcp) {
    tcp.write(frames.length === 1 ? (frames[0] as TextFrame).wire : Buffer.concat(frames.map((frame) => frame.wire)), written);
    return;
  }
  frames.forEach((frame, index) => socket.send(frame.payload, { binary: false }, index === frames.length - 1 ? written : undefined));
}

function tcpOf(socket: WebSocket): Duplex | undefined {
  const tcp = (socket as unknown as { _socket?: Duplex | null })._socket;
  return tcp && tcp.writable ? tcp : undefined;
}
