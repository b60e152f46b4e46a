import type { z } from 'zod';
import { BadRequest } from '../errors';

/** A list cursor, opaque to clients: base64url of a small JSON object. */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The 400 of a cursor this API did not hand out, or one that continues another list. */
export function invalidCursor(): BadRequest {
  return new BadRequest('invalid cursor', [{ path: 'querystring.cursor', message: 'not a cursor this list returned' }]);
}

/** Reads a cursor back; anything this API did not hand out is a 400 naming `querystring.cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}
