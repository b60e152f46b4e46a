import { customAlphabet, nanoid, urlAlphabet } from 'nanoid';

/** Digits, then upper-case, then lower-case letters: ASCII order, so fixed-width numbers in it sort as text. */
const SORTABLE = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An event id: the commit's time in milliseconds (8 characters of base 62, in ASCII order) and 13 random
 * nanoid characters, 21 in all like a plain nanoid. Ids made later sort after earlier ones, so the
 * log's unique index on ids grows at its right edge: a group commit writes one page of it instead of one
 * random page per event (docs/performance.md).
 */
export function eventId(epochMs: number): string {
  let time = '';
  let rest = Math.max(0, Math.floor(epochMs));
  for (let i = 0; i < 8; i += 1) {
    time = SORTABLE[rest % 62] + time;
    rest = Math.floor(rest / 62);
  }
  return time + nanoid(13);
}

const firstCharacter = customAlphabet(urlAlphabet.replace('-', ''), 1);

/**
 * A new id of a proposal, comment, action item, token or request: a nanoid that never starts with `-`,
 * which spreadsheets read as a minus (a CSV export would have to change the id) and command lines as an
 * option. Older ids may start with `-`; they stay valid.
 */
export function newId(size = 21): string {
  return firstCharacter() + nanoid(size - 1);
}
