import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { viewGeneration } from '../eventStore/viewGeneration';
import { TokenEvent } from './events';

const HANDLED: ReadonlySet<string> = new Set(TokenEvent.options.map((option) => option.shape.type.value));

export function tokensProjection(sqlite: Sqlite): Projection {
  const insert = sqlite.prepare(
    'INSERT OR REPLACE INTO tokens (token_id, hash, role, entity_id, person, issued_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const revoke = sqlite.prepare('UPDATE tokens SET revoked_at = ? WHERE token_id = ?');
  const generation = viewGeneration(sqlite);
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
        insert.run(tokenId, tokenHash, role, entityId, person, stored.recordedAt);
      } else {
        revoke.run(stored.recordedAt, event.data.tokenId);
      }
    },
  };
}
