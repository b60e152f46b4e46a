import type { z } from 'zod';
import { BadRequest } from '../errors';

/** A list cursor, opaque to clients: base64url of a small JSON object. */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Reads a cursor back; anything this API did not hand out is a 400 naming `querystring.cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  const invalid = () => new BadRequest('invalid cursor', [{ path: 'querystring.cursor', message: 'not a cursor this list returned' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
