import { z } from 'zod';
import { BadRequest } from '../errors';
import { decodeCursor } from '../http/cursor';

/** Where a list page starts: before a submission (newest first) or at an offset into search results. */
export type ListPosition = { before?: number; offset?: number };

const Cursor = z.union([
  z.strictObject({ before: z.number().int().positive() }),
  z.strictObject({ offset: z.number().int().min(0).max(100_000) }),
]);

export function decodeListPosition(cursor: string | undefined, searching: boolean): ListPosition {
  if (cursor === undefined) return {};
  const position = decodeCursor(cursor, Cursor);
  // A cursor only continues the kind of list that produced it.
  if (searching !== 'offset' in position) {
    throw new BadRequest('invalid cursor', [{ path: 'querystring.cursor', message: 'not a cursor this list returned' }]);
  }
  return position;
}
