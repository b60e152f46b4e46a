import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import { newId } from '../eventStore/eventId';
import { Title } from '../http/schemas';
import type { Actor } from '../dialogue/actor';
import type { Directory } from '../dialogue/directory';
import type { Sqlite } from '../eventStore/database';
import type { EventStore } from '../eventStore/store';
import type { ActorRef } from '../eventStore/types';
import { Role as RoleSchema } from '../eventStore/types';
import { KeptViews, type ViewGeneration } from '../eventStore/viewGeneration';
import { tokenStream } from './events';

/** Every bearer token starts with it: logs and error responses recognise tokens by it. */
export const TOKEN_PREFIX = 'dlg_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenRequest {
  role: string;
  entityId?: string | null;
  person: string;
}

export class TokenRequestError extends Error {}

/**
 * Issues a bearer token: the secret is returned once and only its sha256 is recorded, as a `TokenIssued`
 * event. Delegates must name an entity; secretariat and auditors must not.
 */
export async function issueToken(
  store: EventStore,
  directory: Directory,
  request: TokenRequest,
  issuedBy: ActorRef,
  requestId: string,
): Promise<{ token: string; tokenId: string }> {
  const role = RoleSchema.safeParse(request.role);
  if (!role.success) {
    throw new TokenRequestError(`unknown role '${request.role}': use one of ${RoleSchema.options.join(', ')}`);
  }
  // The name is shown in every history the person's actions appear in: it is held to a title's rules.
  const name = Title(200).safeParse(request.person);
  if (!name.success) {
    const reason = name.error.issues[0]?.message ?? 'is not valid';
    throw new TokenRequestError(
      reason === 'must not be blank' ? 'a token belongs to a person: give --name' : `--name ${reason}`,
    );
  }
  const person = name.data;
  const entityId = request.entityId ?? null;
  if (role.data === 'delegate' && entityId === null) {
    throw new TokenRequestError('a delegate acts for an entity: give --entity');
  }
  // An overseer shown as an entity would mislead presence and history: the entity may not even take part.
  if (role.data !== 'delegate' && entityId !== null) {
    throw new TokenRequestError(`a ${role.data} token acts for the Dialogue, not for an entity: leave out --entity`);
  }
  if (entityId !== null && !directory.entity(entityId)) {
    const known = directory.entities().map((entity) => entity.id);
    throw new TokenRequestError(`unknown entity '${entityId}': known entities are ${known.join(', ')}`);
  }
  const tokenId = newId(12);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  await store.append({
    streamId: tokenStream(tokenId),
    expectedVersion: 'no-stream',
    events: [
      { type: 'TokenIssued', data: { tokenId, tokenHash: hashToken(token), role: role.data, entityId, person } },
    ],
    metadata: { actor: issuedBy, requestId },
  });
  return { token, tokenId };
}

export async function revokeToken(store: EventStore, tokenId: string, revokedBy: ActorRef, requestId: string) {
  const streamId = tokenStream(tokenId);
  const events = store.reader.readStream(streamId);
  if (events.length === 0) throw new TokenRequestError(`unknown token id '${tokenId}'`);
  if (events.some((event) => event.type === 'TokenRevoked')) {
    throw new TokenRequestError(`token ${tokenId} is already revoked`);
  }
  return store.append({
    streamId,
    expectedVersion: events.length,
    events: [{ type: 'TokenRevoked', data: { tokenId } }],
    metadata: { actor: revokedBy, requestId },
  });
}

/** A valid token (not revoked) with its entity's kind, by the hash of its secret or by its id. */
function validTokens(sqlite: Sqlite) {
  const select = (db: Kysely<Database>) =>
    db
      .selectFrom('tokens as t')
      .leftJoin('entities as e', 'e.id', 't.entity_id')
      .select(['t.token_id', 't.hash', 't.role', 't.entity_id', 't.person', 'e.kind'])
      .where('t.revoked_at', 'is', null);
  return {
    byHash: prepare(sqlite, (db, p: Params<{ hash: string }>) => select(db).where('t.hash', '=', p.hash)),
    byId: prepare(sqlite, (db, p: Params<{ tokenId: string }>) => select(db).where('t.token_id', '=', p.tokenId)),
  };
}

/** Most valid tokens whose actors are kept in memory; past it, the kept ones are forgotten at once. */
const KEPT_TOKENS = 10_000;

/**
 * Resolves a bearer token to its actor; revoked and unknown tokens resolve to nothing. The actors of valid
 * tokens are kept for as long as the view generation stands (a token issued or revoked by this process or
 * another moves it), so that a request does not hash its token and read the tokens view every time. Refused
 * tokens are never kept: a guesser cannot fill the memory.
 */
export class TokenAuthenticator {
  private readonly run;
  private readonly kept = new KeptViews<string, Actor>(KEPT_TOKENS);

  constructor(
    sqlite: Sqlite,
    readonly generation: ViewGeneration,
  ) {
    this.run = validTokens(sqlite);
  }

  authenticate(token: string | undefined): Actor | undefined {
    if (!token?.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
    const kept = this.kept.get(token, this.generation.check());
    if (kept) return kept;
    const hash = hashToken(token);
    const row = this.run.byHash.get({ hash });
    // The look-up is by hash, so timing never depends on the secret; compare the digests in constant time anyway.
    if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
    const actor: Actor = Object.freeze({
      tokenId: row.token_id,
      role: row.role,
      entityId: row.entity_id,
      entityKind: row.kind,
      person: row.person,
    });
    this.kept.set(token, actor);
    return actor;
  }

  /** The actor of a token id if it is still valid (used to drop revoked websocket sessions). */
  stillValid(tokenId: string): boolean {
    return this.run.byId.get({ tokenId }) !== undefined;
  }
}
