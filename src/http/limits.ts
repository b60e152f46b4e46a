/**
 * The documented bound on what the server sends: no JSON response body and no websocket frame is larger
 * than this. Views hold a bounded part of what can grow without limit (a proposal's newest comments, an
 * action item's latest steps) and lists stop at PAGE_BYTES, so the bound holds by construction. It does
 * not bound two downloads: the NDJSON export (streamed) and the CSV meeting pack (a short line per item).
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A page of a list stops growing once its items' JSON passes this many bytes (it always holds at least one
 * item), and its cursor continues from there. Every item kind is far smaller than MAX_BODY_BYTES minus this.
 */
export const PAGE_BYTES = 512 * 1024;

/** Bytes of an item's JSON as it is sent. */
export function jsonBytes(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item) ?? '', 'utf8');
}

/**
 * The longest prefix of `items` that holds at most `limit` items and at most PAGE_BYTES of JSON (never
 * fewer than one item), and whether anything was left out. Callers read `limit + 1` items so that `more`
 * also says whether the list goes on.
 */
export function pageWithin<T>(items: readonly T[], limit: number, budget = PAGE_BYTES): { items: T[]; more: boolean } {
  let bytes = 0;
  let count = 0;
  for (const item of items) {
    if (count >= limit) break;
    bytes += jsonBytes(item);
    if (count > 0 && bytes > budget) break;
    count += 1;
  }
  return { items: items.slice(0, count), more: count < items.length };
}

/** Items read per step of `readWithin`: a page of large items reads little more than it sends. */
const CHUNK = 50;

/**
 * `pageWithin` for lists read from a key on: reads `CHUNK` items at a time, from `start` (each step after
 * the last item's key), until the page holds `limit` items or passes PAGE_BYTES, so that a page of large
 * items never reads and parses many times what it sends.
 */
export function readWithin<T, K>(
  read: (after: K, count: number) => T[],
  keyOf: (item: T) => K,
  start: K,
  limit: number,
): { items: T[]; more: boolean } {
  const items: T[] = [];
  let bytes = 0;
  let after = start;
  for (;;) {
    const wanted = Math.min(CHUNK, limit + 1 - items.length);
    const rows = read(after, wanted);
    for (const row of rows) {
      const size = jsonBytes(row);
      if (items.length >= limit || (items.length > 0 && bytes + size > PAGE_BYTES)) return { items, more: true };
      items.push(row);
      bytes += size;
    }
    const last = rows.at(-1);
    if (rows.length < wanted || last === undefined) return { items, more: false };
    after = keyOf(last);
  }
}
