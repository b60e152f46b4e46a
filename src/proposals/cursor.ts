import { z } from 'zod';
import { decodeCursor, invalidCursor } from '../http/cursor';
import type { CommentPosition } from './queries';

/** Where a list page starts: before a submission (newest first) or at an offset into search results. */
export type ListPosition = { before?: number; offset?: number };

const Cursor = z.union([
  z.strictObject({ before: z.number().int().positive() }),
  z.strictObject({ offset: z.number().int().min(0).max(100_000) }),
]);

const CommentCursor = z.union([
  z.strictObject({ after: z.number().int().min(0) }),
  z.strictObject({ before: z.number().int().min(1) }),
]);

/** Where a page of comments starts: the cursor of the previous page, or the thread's start (or end, newest first). */
export function decodeCommentPosition(cursor: string | undefined, order: 'oldest' | 'newest'): CommentPosition {
  if (cursor === undefined) return order === 'oldest' ? { after: 0 } : { before: Number.MAX_SAFE_INTEGER };
  const position = decodeCursor(cursor, CommentCursor);
  // A cursor only continues a list in the order that produced it.
  if ((order === 'oldest') !== 'after' in position) throw invalidCursor();
  return position;
}

export function decodeListPosition(cursor: string | undefined, searching: boolean): ListPosition {
  if (cursor === undefined) return {};
  const position = decodeCursor(cursor, Cursor);
  // A cursor only continues the kind of list that produced it.
  if (searching !== 'offset' in position) {
    throw invalidCursor();
  }
  return position;
}
