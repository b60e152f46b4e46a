import type WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import { groupRefusal, mayFind } from '../dialogue/visibility';
import type { LiveHub } from './hub';
import {
  CLOSE,
  type ClientMessage,
  type ErrorCode,
  errorFrame,
  parseClientMessage,
  PONG_FRAME,
  presenceFrame,
  type Subscribe,
  unsubscribedFrame,
} from './protocol';
import type { Session } from './session';
import { parseTopic, type Topic } from './topics';

/** Subscriptions one socket may hold at once. */
const MAX_SUBSCRIPTIONS = 100;

/** Refused messages in a row after which a socket is closed (1008): it is flooding, not asking. */
const MAX_REFUSALS = 50;

const TOPIC_FORMS = 'group:<id>, proposal:<id>, action-item:<id> or log';

/**
 * Counts a request that reads the log or the views (a subscription, a presence request) against the
 * token's rate limit, the one its HTTP requests count against: the seconds to wait when it has passed.
 */
export type TokenLimit = () => Promise<number | null>;

/**
 * Serves one admitted socket: every bad message is answered with an `error`, and the socket stays open.
 * Messages are answered one at a time, in the order they came. A socket that sends faster than its
 * message budget, or subscribes faster than its token's rate limit, is answered `rate-limited` for each
 * message it is refused, and closed with 1008 after MAX_REFUSALS of them in a row.
 */
export function serveConnection(
  hub: LiveHub,
  socket: WebSocket,
  actor: Actor,
  tokenLimit: TokenLimit,
  onError: (error: unknown) => void,
): void {
  const session = hub.connect(socket, actor);
  if (!session) return;
  const budget = hub.messageBudget();
  const fail = (code: ErrorCode, message: string, topic?: string): void => {
    session.send(errorFrame(code, message, topic));
  };
  let refusals = 0;
  const refuse = (message: string): void => {
    refusals += 1;
    if (refusals >= MAX_REFUSALS) session.close(CLOSE.policy, 'too many messages: slow down');
    else fail('rate-limited', message);
  };
  let inbox = Promise.resolve();
  socket.on('message', (data, isBinary) => {
    if (session.closed) return;
    // Judged as it arrives (a budget is about the rate of arrival), answered in turn.
    const withinBudget = budget.take();
    const retryMs = withinBudget ? 0 : budget.retryAfterMs();
    inbox = inbox
      .then(async () => {
        if (session.closed) return;
        if (!withinBudget) {
          refuse(`more messages than this socket may send; retry after ${retryMs} ms`);
          return;
        }
        const message = isBinary
          ? 'messages are JSON text frames'
          : parseClientMessage(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
        if (typeof message === 'string') {
          fail('bad-message', message);
          return;
        }
        if (message.type === 'subscribe' || message.type === 'presence') {
          const retryAfter = await tokenLimit();
          if (session.closed) return;
          if (retryAfter !== null) {
            refuse(`this token passed its rate limit; retry after ${retryAfter} s`);
            return;
          }
        }
        refusals = 0;
        const refusal = answer(hub, session, message);
        if (refusal) fail(refusal.code, refusal.message, refusal.topic);
      })
      .catch((error: unknown) => {
        // A failure here is ours (the log could not be read): the client resumes with `since` on a new socket.
        onError(error);
        session.close(CLOSE.internalError, 'the server could not answer');
      });
  });
}

/** Why a message was refused: the `error` frame's code, message and topic. */
interface Refusal {
  code: ErrorCode;
  message: string;
  topic?: string;
}

function answer(hub: LiveHub, session: Session, message: ClientMessage): Refusal | undefined {
  switch (message.type) {
    case 'ping':
      session.send(PONG_FRAME);
      return undefined;
    case 'subscribe':
      return subscribe(hub, session, message);
    case 'unsubscribe':
      if (!hub.unsubscribe(session, message.topic)) {
        return { code: 'not-subscribed', message: 'not subscribed to this topic', topic: message.topic };
      }
      session.send(unsubscribedFrame(message.topic));
      return undefined;
    case 'presence': {
      const topic = parseTopic(message.topic);
      if (topic?.kind !== 'group') {
        return { code: 'bad-message', message: 'presence is kept for group:<id> topics', topic: message.topic };
      }
      const refusal = groupTopicRefusal(hub, session.actor, topic.id);
      if (refusal) return { ...refusal, topic: topic.name };
      session.send(presenceFrame(topic.name, hub.presence(topic.id)));
      return undefined;
    }
  }
}

function subscribe(hub: LiveHub, session: Session, message: Subscribe): Refusal | undefined {
  const topic = parseTopic(message.topic);
  if (!topic) return { code: 'bad-message', message: `unknown topic: use ${TOPIC_FORMS}`, topic: message.topic };
  if (session.subscriptions.has(topic.name)) {
    return { code: 'already-subscribed', message: 'already subscribed to this topic', topic: topic.name };
  }
  if (session.subscriptions.size >= MAX_SUBSCRIPTIONS) {
    return {
      code: 'too-many-subscriptions',
      message: `at most ${MAX_SUBSCRIPTIONS} topics per socket`,
      topic: topic.name,
    };
  }
  const refusal = authorise(hub, session.actor, topic);
  if (refusal) return { ...refusal, topic: topic.name };
  // A position the log has not reached cannot have been seen (a log restored from an older backup, another
  // server): taken as given, the events up to it would be skipped without a word. Events another process
  // committed are published first, so the head compared with is the log's own.
  if (message.since !== undefined && message.since > hub.published) {
    hub.tail();
    if (message.since > hub.published) {
      const head = hub.published;
      const text = `since ${message.since} is past the head of the log (${head}); subscribe again with since <= ${head}`;
      return { code: 'bad-message', message: text, topic: topic.name };
    }
  }
  hub.subscribe(session, topic, message.since);
  return undefined;
}

/**
 * The same rule as the REST API: an item the caller may not see does not exist for it (`not-found`, never
 * `forbidden`); a group is public, so one the caller does not take part in is `forbidden`, as its routes'
 * 403; and the raw log is the auditor's.
 */
function authorise(hub: LiveHub, actor: Actor, topic: Topic): Refusal | undefined {
  switch (topic.kind) {
    case 'log':
      return actor.role === 'auditor' ? undefined : { code: 'forbidden', message: 'the log topic is for auditors' };
    case 'group':
      return groupTopicRefusal(hub, actor, topic.id);
    case 'proposal':
    case 'action-item': {
      return mayFind(hub.directory, actor, hub.resolver.facts(topic.kind, topic.id))
        ? undefined
        : { code: 'not-found', message: `no such ${topic.kind}` };
    }
    case 'edition':
      // Editions are the whole Dialogue's: any token follows one that exists.
      return hub.resolver.editionExists(topic.id) ? undefined : { code: 'not-found', message: 'no such edition' };
  }
}

function groupTopicRefusal(hub: LiveHub, actor: Actor, groupId: string): Refusal | undefined {
  const refusal = groupRefusal(hub.directory, actor, groupId);
  if (!refusal) return undefined;
  return { code: refusal.status === 404 ? 'not-found' : 'forbidden', message: refusal.message };
}
