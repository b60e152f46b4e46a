import type { TokensTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { TokenEvent, type TokenIssued } from './events';
import type { ViewGeneration } from '../eventStore/viewGeneration';

const HANDLED: ReadonlySet<string> = new Set(TokenEvent.options.map((option) => option.shape.type.value));

type Issued = Omit<TokenIssued['data'], 'role'> & { role: TokensTable['role']; at: string };

function statements(sqlite: Sqlite) {
  return {
    insert: prepare(sqlite, (db, p: Params<Issued>) =>
      db.insertInto('tokens').orReplace().values({
        token_id: p.tokenId,
        hash: p.tokenHash,
        role: p.role,
        entity_id: p.entityId,
        person: p.person,
        issued_at: p.at,
      }),
    ),
    revoke: prepare(sqlite, (db, p: Params<{ tokenId: string; at: string }>) =>
      db.updateTable('tokens').set({ revoked_at: p.at }).where('token_id', '=', p.tokenId),
    ),
  };
}

/** Folds token events into the tokens view the authenticator reads: issued, then perhaps revoked. */
export function tokensProjection(sqlite: Sqlite, generation: ViewGeneration): Projection {
  const { insert, revoke } = statements(sqlite);
  return {
    name: 'tokens',
    tables: ['tokens'],
    rebuildTypes: HANDLED,
    apply(stored: StoredEvent) {
      if (!HANDLED.has(stored.type)) return;
      // Actors kept by the authenticator are read again.
      generation.changed();
      const event = TokenEvent.parse({ type: stored.type, data: stored.data });
      if (event.type === 'TokenIssued') {
        const { tokenId, tokenHash, role, entityId, person } = event.data;
        insert.run({ tokenId, tokenHash, role, entityId, person, at: stored.recordedAt });
      } else {
        revoke.run({ tokenId: event.data.tokenId, at: stored.recordedAt });
      }
    },
  };
}
