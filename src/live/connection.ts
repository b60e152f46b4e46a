import type WebSocket from 'ws';
import type { Actor } from '../dialogue/actor';
import { canSee, groupRefusal } from '../dialogue/visibility';
import type { LiveHub } from './hub';
import { type ErrorCode, errorFrame, parseClientMessage, PONG_FRAME, presenceFrame, type Subscribe, unsubscribedFrame } from './protocol';
import type { Session } from './session';
import { parseTopic, type Topic } from './topics';

/** Subscriptions one socket may hold at once. */
const MAX_SUBSCRIPTIONS = 100;

const TOPIC_FORMS = 'group:<id>, proposal:<id>, action-item:<id> or log';

/** Serves one admitted socket: every bad message is answered with an `error`, and the socket stays open. */
export function serveConnection(hub: LiveHub, socket: WebSocket, actor: Actor): void {
  const session = hub.connect(socket, actor);
  if (!session) return;
  const fail = (code: ErrorCode, message: string, topic?: string) => session.send(errorFrame(code, message, topic));
  socket.on('message', (data, isBinary) => {
    if (isBinary) return fail('bad-message', 'messages are JSON text frames');
    const message = parseClientMessage(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    if (typeof message === 'string') return fail('bad-message', message);
    switch (message.type) {
      case 'ping':
        return session.send(PONG_FRAME);
      case 'subscribe':
        return subscribe(hub, session, message, fail);
      case 'unsubscribe':
        if (!hub.unsubscribe(session, message.topic)) return fail('not-subscribed', 'not subscribed to this topic', message.topic);
        return session.send(unsubscribedFrame(message.topic));
      case 'presence': {
        const topic = parseTopic(message.topic);
        if (topic?.kind !== 'group') return fail('bad-message', 'presence is kept for group:<id> topics', message.topic);
        const refusal = groupTopicRefusal(hub, session.actor, topic.id);
        if (refusal) return fail(refusal.code, refusal.message, topic.name);
        return session.send(presenceFrame(topic.name, hub.presence(topic.id)));
      }
    }
  });
}

type Fail = (code: ErrorCode, message: string, topic?: string) => void;

function subscribe(hub: LiveHub, session: Session, message: Subscribe, fail: Fail): void {
  const topic = parseTopic(message.topic);
  if (!topic) return fail('bad-message', `unknown topic: use ${TOPIC_FORMS}`, message.topic);
  if (session.subscriptions.has(topic.name)) return fail('already-subscribed', 'already subscribed to this topic', topic.name);
  if (session.subscriptions.size >= MAX_SUBSCRIPTIONS) {
    return fail('too-many-subscriptions', `at most ${MAX_SUBSCRIPTIONS} topics per socket`, topic.name);
  }
  const refusal = authorise(hub, session.actor, topic);
  if (refusal) return fail(refusal.code, refusal.message, topic.name);
  // A position the log has not reached cannot have been seen (a log restored from an older backup, another
  // server): taken as given, the events up to it would be skipped without a word. Events another process
  // committed are published first, so the head compared with is the log's own.
  if (message.since !== undefined && message.since > hub.published) {
    hub.tail();
    if (message.since > hub.published) {
      return fail('bad-message', `since ${message.since} is past the head of the log (${hub.published}); subscribe again with since <= ${hub.published}`, topic.name);
    }
  }
  hub.subscribe(session, topic, message.since);
}

/**
 * The same rule as the REST API: an item the caller may not see does not exist for it (`not-found`, never
 * `forbidden`); a group is public, so one the caller does not take part in is `forbidden`, as its routes'
 * 403; and the raw log is the auditor's.
 */
function authorise(hub: LiveHub, actor: Actor, topic: Topic): { code: ErrorCode; message: string } | undefined {
  switch (topic.kind) {
    case 'log':
      return actor.role === 'auditor' ? undefined : { code: 'forbidden', message: 'the log topic is for auditors' };
    case 'group':
      return groupTopicRefusal(hub, actor, topic.id);
    case 'proposal':
    case 'action-item': {
      const facts = hub.resolver.facts(topic.kind, topic.id);
      return facts && canSee(hub.directory, actor, facts) ? undefined : { code: 'not-found', message: `no such ${topic.kind}` };
    }
  }
}

function groupTopicRefusal(hub: LiveHub, actor: Actor, groupId: string): { code: ErrorCode; message: string } | undefined {
  const refusal = groupRefusal(hub.directory, actor, groupId);
  if (!refusal) return undefined;
  return { code: refusal.status === 404 ? 'not-found' : 'forbidden', message: refusal.message };
}
