import type { Visibility, Visible } from '../dialogue/visibility';
import type { StoredEvent } from '../eventStore/types';

/** What fan-out reads of an event: where it belongs, and its position and version. */
export type LogEntry = Pick<StoredEvent, 'position' | 'streamId' | 'version' | 'data'>;

/** A topic a socket can subscribe to (contract section 4). */
export type Topic =
  | { kind: 'group'; id: string; name: string }
  | { kind: 'proposal'; id: string; name: string }
  | { kind: 'action-item'; id: string; name: string }
  | { kind: 'edition'; id: string; name: string }
  | { kind: 'log'; name: 'log' };

const ID = /^[A-Za-z0-9._-]{1,100}$/;
const TOPIC = /^(group|proposal|action-item|edition):(.+)$/;

/** Parses `group:<id>`, `proposal:<id>`, `action-item:<id>`, `edition:<id>` or `log`; anything else is undefined. */
export function parseTopic(name: string): Topic | undefined {
  if (name === 'log') return { kind: 'log', name };
  const match = TOPIC.exec(name);
  const kind = match?.[1];
  const id = match?.[2];
  if (!kind || !id || !ID.test(id)) return undefined;
  if (kind === 'group' || kind === 'proposal' || kind === 'action-item' || kind === 'edition')
    return { kind, id, name };
  return undefined;
}

const ITEM_KINDS = ['proposal', 'action-item', 'edition'] as const;
export type StreamKind = (typeof ITEM_KINDS)[number];

/** The item an event is about, from its stream id (`proposal-<id>`, `action-item-<id>`, `edition-<id>`). */
export function itemOf(event: LogEntry): { kind: StreamKind; id: string } | undefined {
  for (const kind of ITEM_KINDS) {
    if (event.streamId.startsWith(`${kind}-`)) return { kind, id: event.streamId.slice(kind.length + 1) };
  }
  return undefined;
}

/** The stream of an item topic's item (`proposal:<id>` is `proposal-<id>`); undefined for other topics. */
export function streamOf(topic: Topic): string | undefined {
  return topic.kind === 'group' || topic.kind === 'log' ? undefined : `${topic.kind}-${topic.id}`;
}

/**
 * Who may see an event, read from the event itself: every event of a group's content carries `groupId`
 * (and proposal events their `visibility`), so fan-out never needs a look-up. Events without a `groupId`
 * (reference data, tokens) belong to no group and are seen on `log` only.
 */
export function visibleOf(event: LogEntry): Visible | undefined {
  const { groupId, visibility } = event.data;
  if (typeof groupId !== 'string') return undefined;
  const level: Visibility = visibility === 'members' ? 'members' : 'dialogue';
  return { groupId, visibility: level };
}

/**
 * The topics an event is published on, `log` first. An edition's events are the whole Dialogue's: they go
 * to their edition's topic only (its agenda events, which name a proposal, still reach only who may see it).
 */
export function topicsOf(event: LogEntry): string[] {
  const topics = ['log'];
  const item = itemOf(event);
  if (item?.kind === 'edition') {
    topics.push(`edition:${item.id}`);
    return topics;
  }
  const visible = visibleOf(event);
  if (!visible) return topics;
  topics.push(`group:${visible.groupId}`);
  if (item) topics.push(`${item.kind}:${item.id}`);
  return topics;
}

/** Whether an event read from the log belongs to a topic (catch-up filters pages with it). */
export function belongsTo(event: LogEntry, topic: Topic): boolean {
  if (topic.kind === 'log') return true;
  const item = itemOf(event);
  if (topic.kind === 'edition') return item?.kind === 'edition' && item.id === topic.id;
  const visible = visibleOf(event);
  if (!visible || item?.kind === 'edition') return false;
  if (topic.kind === 'group') return visible.groupId === topic.id;
  return item !== undefined && item.kind === topic.kind && item.id === topic.id;
}
