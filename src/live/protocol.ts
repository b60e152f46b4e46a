import { z } from 'zod';
import { ActionItemView } from '../actionItems/views';
import { StoredEvent } from '../eventStore/types';
import { ProposalView } from '../proposals/views';
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
export const ErrorCode = z
  .enum([
    'bad-message',
    'forbidden',
    'not-found',
    'already-subscribed',
    'not-subscribed',
    'too-many-subscriptions',
    'rate-limited',
  ])
  .meta({ id: 'ErrorCode' });
export type ErrorCode = z.infer<typeof ErrorCode>;

/*
 * Server-to-client frames (contract section 4). The builders below produce them; these schemas document
 * them (the AsyncAPI document is generated from them) and let tests check what a live server sends.
 */
const Position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const SubscribedFrame = z
  .strictObject({
    type: z.literal('subscribed'),
    topic: z.string(),
    position: Position.describe('the head of the log when the subscription started'),
  })
  .meta({ id: 'SubscribedFrame' });
export type SubscribedFrame = z.infer<typeof SubscribedFrame>;

export const UnsubscribedFrame = z
  .strictObject({ type: z.literal('unsubscribed'), topic: z.string() })
  .meta({ id: 'UnsubscribedFrame' });
export type UnsubscribedFrame = z.infer<typeof UnsubscribedFrame>;

export const EventFrame = z
  .strictObject({
    type: z.literal('event'),
    topic: z.string(),
    position: Position.min(1),
    event: StoredEvent,
    view: z
      .union([ProposalView, ActionItemView])
      .nullable()
      .describe(
        'the item the event concerns, as it is now and as the recipient may see it; null for events of no item, ' +
          'and for catch-up events that a later one of the same item supersedes',
      ),
  })
  .meta({ id: 'EventFrame' });
export type EventFrame = z.infer<typeof EventFrame>;

export const PresenceFrame = z
  .strictObject({
    type: z.literal('presence'),
    topic: z.string(),
    entities: z.array(z.string()).describe('entity ids of the delegates connected'),
  })
  .meta({ id: 'PresenceFrame' });
export type PresenceFrame = z.infer<typeof PresenceFrame>;

export const PongFrame = z.strictObject({ type: z.literal('pong') }).meta({ id: 'PongFrame' });
export type PongFrame = z.infer<typeof PongFrame>;

export const ErrorFrame = z
  .strictObject({ type: z.literal('error'), code: ErrorCode, message: z.string(), topic: z.string().optional() })
  .meta({ id: 'ErrorFrame' });
export type ErrorFrame = z.infer<typeof ErrorFrame>;

export const ServerFrame = z.discriminatedUnion('type', [
  SubscribedFrame,
  UnsubscribedFrame,
  EventFrame,
  PresenceFrame,
  PongFrame,
  ErrorFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

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
 * before `event` so that a client can read it without parsing the whole frame. Its text is an `EventFrame`
 * (test/live/asyncapi.test.ts checks the frames of a live server against that schema).
 */
export function eventFrame(topic: string, position: number, eventJson: string, viewJson: string): TextFrame {
  return textFrame(
    `{"type":"event","topic":${JSON.stringify(topic)},"position":${position},"event":${eventJson},"view":${viewJson}}`,
  );
}

/** A frame's text; the type ties every builder to its frame's schema. */
function frame(message: ServerFrame): string {
  return JSON.stringify(message);
}

export function subscribedFrame(topic: string, position: number): string {
  return frame({ type: 'subscribed', topic, position });
}

export function unsubscribedFrame(topic: string): string {
  return frame({ type: 'unsubscribed', topic });
}

export function presenceFrame(topic: string, entities: string[]): string {
  return frame({ type: 'presence', topic, entities });
}

export function errorFrame(code: ErrorCode, message: string, topic?: string): string {
  return frame(topic === undefined ? { type: 'error', code, message } : { type: 'error', code, message, topic });
}

export const PONG_FRAME = frame({ type: 'pong' });
