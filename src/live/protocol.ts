import { z } from 'zod';
import { type TextFrame, textFrame } from './wire';

/** Client-to-server messages (contract section 4). Unknown fields are errors, as in every request body. */
export const Subscribe = z.strictObject({
  type: z.literal('subscribe'),
  topic: z.string().min(1).max(200),
  since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type Subscribe = z.infer<typeof Subscribe>;

export const Unsubscribe = z.strictObject({ type: z.literal('unsubscribe'), topic: z.string().min(1).max(200) });
export type Unsubscribe = z.infer<typeof Unsubscribe>;

export const Ping = z.strictObject({ type: z.literal('ping') });
export type Ping = z.infer<typeof Ping>;

export const PresenceRequest = z.strictObject({ type: z.literal('presence'), topic: z.string().min(1).max(200) });
export type PresenceRequest = z.infer<typeof PresenceRequest>;

export const ClientMessage = z.discriminatedUnion('type', [Subscribe, Unsubscribe, Ping, PresenceRequest]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Codes of `error` messages; the socket stays open after every one of them. */
export type ErrorCode =
  | 'bad-message'
  | 'forbidden'
  | 'not-found'
  | 'already-subscribed'
  | 'not-subscribed'
  | 'too-many-subscriptions'
  | 'rate-limited';

/** Close codes the server uses. */
export const CLOSE = {
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  revoked: 4403,
} as const;

/** Parses one text frame; a string is the `bad-message` explanation. */
export function parseClientMessage(text: string): ClientMessage | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'the message is not valid JSON';
  }
  const parsed = ClientMessage.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue?.message ?? 'invalid message'}`;
}

/**
 * An `event` message, built from already serialised parts: the event's JSON is produced once per event and
 * the view's once per item and visibility class, whatever the number of topics and sockets. `position` comes
 * before `event` so that a client can read it without parsing the whole frame.
 */
export function eventFrame(topic: string, position: number, eventJson: string, viewJson: string): TextFrame {
  return textFrame(
    `{"type":"event","topic":${JSON.stringify(topic)},"position":${position},"event":${eventJson},"view":${viewJson}}`,
  );
}

export function subscribedFrame(topic: string, position: number): string {
  return JSON.stringify({ type: 'subscribed', topic, position });
}

export function unsubscribedFrame(topic: string): string {
  return JSON.stringify({ type: 'unsubscribed', topic });
}

export function presenceFrame(topic: string, entities: string[]): string {
  return JSON.stringify({ type: 'presence', topic, entities });
}

export function errorFrame(code: ErrorCode, message: string, topic?: string): string {
  return JSON.stringify(topic === undefined ? { type: 'error', code, message } : { type: 'error', code, message, topic });
}

export const PONG_FRAME = JSON.stringify({ type: 'pong' });
