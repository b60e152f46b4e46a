import { prepare, type Params } from '../db/statements';
import { IdempotencyKeyReused } from '../errors';
import type { Sqlite } from '../eventStore/database';
import type { Appended, IdempotencyLedger, IdempotentAppend, KeptResponse } from '../eventStore/types';

/** A write's `Idempotency-Key`, scoped to its caller's token, and the fingerprint of what the write asked. */
export interface IdempotencyKey {
  key: string;
  fingerprint: string;
}

/** A key as its caller's: one caller's keys never answer another's requests. */
export function scopedKey(tokenId: string, clientKey: string): string {
  return `${tokenId}:${clientKey}`;
}

/** The key as the client sent it, which the log's metadata records. */
export function clientKey(tokenId: string, key: string): string {
  return key.slice(tokenId.length + 1);
}

/** A command's answer with what its append gave it: the fields of its body, then the log's receipt. */
export function withReceipt(response: KeptResponse, appended: Appended): KeptResponse {
  return {
    statusCode: response.statusCode,
    body: { ...response.body, position: appended.position, version: appended.version, receipt: appended.receipt },
  };
}

/**
 * The `Idempotency-Key` contract, decided here and nowhere else: a repeat with the same key and the same
 * request gets the first response again and records nothing; the same key with another request is refused.
 * The command layer asks `replay` before deciding (a repeat is answered, not decided again on a newer
 * state), and the store asks it again inside the append's transaction and has `keep` record the response
 * there, so concurrent repeats, in this process or another, still record one append.
 */
export class IdempotencyKeys implements IdempotencyLedger {
  private readonly find;
  private readonly insert;

  constructor(sqlite: Sqlite) {
    this.find = prepare(sqlite, (db, p: Params<{ key: string }>) =>
      db.selectFrom('idempotency_keys').select(['fingerprint', 'status_code', 'body']).where('key', '=', p.key),
    );
    this.insert = prepare(
      sqlite,
      (
        db,
        p: Params<{
          key: string;
          fingerprint: string;
          statusCode: number;
          body: string;
          position: number;
          recordedAt: string;
        }>,
      ) =>
        db.insertInto('idempotency_keys').values({
          key: p.key,
          fingerprint: p.fingerprint,
          status_code: p.statusCode,
          body: p.body,
          position: p.position,
          recorded_at: p.recordedAt,
        }),
    );
  }

  /** The first response kept for this key, or undefined; `IdempotencyKeyReused` if it came with another request. */
  replay(request: IdempotencyKey): KeptResponse | undefined {
    const row = this.find.get({ key: request.key });
    if (!row) return undefined;
    if (row.fingerprint !== request.fingerprint) throw new IdempotencyKeyReused();
    return { statusCode: row.status_code, body: JSON.parse(row.body) as Record<string, unknown> };
  }

  /** Keeps the response of an append made under a key, inside the append's transaction. */
  keep(request: IdempotentAppend, appended: Appended, recordedAt: string): KeptResponse {
    const response = withReceipt(request.response, appended);
    this.insert.run({
      key: request.key,
      fingerprint: request.fingerprint,
      statusCode: response.statusCode,
      body: JSON.stringify(response.body),
      position: appended.position,
      recordedAt,
    });
    return response;
  }
}
