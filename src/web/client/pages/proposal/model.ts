import type { Schemas } from '../../api';
import type { LiveEvent } from '../../live';

export type ProposalView = Schemas['ProposalView'];
export type Comment = Schemas['Comment'];
export type HistoryEntry = Schemas['HistoryEntry'];

/** One text of the proposal: what its author submitted, or a revision of it. */
export interface Revision {
  revision: number;
  version: number;
  title: string;
  body: string;
  at: string;
}

const text = (value: unknown): value is string => typeof value === 'string';

/**
 * The proposal's texts as its history records them: a submission is revision 1 and every revision event
 * carries its whole new text. History entries type their data as an open record, so fields are checked here.
 */
export function revisionsOf(entries: readonly HistoryEntry[]): Revision[] {
  const found = new Map<number, Revision>();
  for (const { type, data, version, recordedAt: at } of entries) {
    const { title, body } = data;
    if (!text(title) || !text(body)) continue;
    if (type === 'ProposalSubmitted') found.set(1, { revision: 1, version, title, body, at });
    if (type === 'ProposalRevised' && typeof data.revision === 'number')
      found.set(data.revision, { revision: data.revision, version, title, body, at });
  }
  return [...found.values()].sort((a, b) => a.revision - b.revision);
}

/** The history entry a live event frame stands for. */
export function entryOf({ event }: LiveEvent): HistoryEntry {
  const { position, version, type, data, metadata, recordedAt } = event;
  return { position, version, type, data, actor: metadata.actor, recordedAt };
}

/** Entries merged by version, oldest first: a page and a live event may carry the same one. */
export function mergeEntries(known: readonly HistoryEntry[], more: readonly HistoryEntry[]): HistoryEntry[] {
  const byVersion = new Map(known.map((entry) => [entry.version, entry]));
  for (const entry of more) byVersion.set(entry.version, entry);
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** The comment a live CommentPosted event carries, or null for any other event. */
export function commentOf({ event }: LiveEvent): Comment | null {
  if (event.type !== 'CommentPosted') return null;
  const { commentId, entityId, body, replyTo } = event.data;
  if (!text(commentId) || !text(body)) return null;
  return {
    id: commentId,
    entityId: text(entityId) ? entityId : null,
    body,
    replyTo: text(replyTo) ? replyTo : null,
    at: event.recordedAt,
  };
}

/** Comments merged by id, in the order they were posted. */
export function mergeComments(known: readonly Comment[], more: readonly Comment[]): Comment[] {
  const byId = new Map(known.map((comment) => [comment.id, comment]));
  for (const comment of more) byId.set(comment.id, comment);
  return [...byId.values()].sort((a, b) => a.at.localeCompare(b.at));
}

/** The newer of two views of the proposal: a view never goes back. */
export function newer(current: ProposalView | undefined, next: ProposalView): ProposalView {
  return current && current.version >= next.version ? current : next;
}

/** `W/"<version>"`, the entity tag of a version, for If-Match. */
export const versionTag = (version: number): string => `W/"${version}"`;
