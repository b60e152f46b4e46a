import { z } from 'zod';
import { BadRequest } from '../errors';

/** Where a list page starts: before a submission (newest first) or at an offset into search results. */
export type ListPosition = { before?: number; offset?: number };

const Cursor = z.union([
  z.strictObject({ before: z.number().int().positive() }),
  z.strictObject({ offset: z.number().int().min(0).max(100_000) }),
]);

/** Opaque to clients: base64url of a small JSON object. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, searching: boolean): ListPosition {
  if (cursor === undefined) return {};
  const invalid = () => new BadRequest('invalid cursor', [{ path: 'querystring.cursor', message: 'not a cursor this list returned' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = Cursor.safeParse(decoded);
  if (!parsed.success) throw invalid();
  // A cursor only continues the kind of list that produced it.
  if (searching !== 'offset' in parsed.data) throw invalid();
  return parsed.data;
}
