import type { Clock, Config } from './config';
import { Directory } from './dialogue/directory';
import { dialogueProjection } from './dialogue/projection';
import { ensureReferenceData } from './dialogue/seed';
import { type Database, openDatabase } from './eventStore/database';
import type { Projection, ProjectionFactory } from './eventStore/projections';
import { EventStore } from './eventStore/store';
import { actionItemsProjection } from './actionItems/projection';
import { proposalsProjection } from './proposals/projection';
import { chainTailProblem } from './startupGuards';
import { TokenAuthenticator } from './tokens/tokens';
import { tokensProjection } from './tokens/projection';

/** Every inline projection, in the order they apply each event. */
export const PROJECTIONS: readonly ProjectionFactory[] = [dialogueProjection, tokensProjection, proposalsProjection, actionItemsProjection];

/** What the server and every CLI share: the migrated database, the log, the views and the look-ups. */
export interface Runtime {
  db: Database;
  store: EventStore;
  projections: readonly Projection[];
  directory: Directory;
  tokens: TokenAuthenticator;
  clock: Clock;
  close(): Promise<void>;
}

export type RuntimeConfig = Pick<Config, 'DATABASE_URL' | 'SQLITE_SYNCHRONOUS' | 'BUSY_TIMEOUT_MS'>;

/** Opens (and migrates) the database, wires the store to the projections, and records the reference data. */
export async function openRuntime(config: RuntimeConfig, clock: Clock): Promise<Runtime> {
  const db = await openDatabase({
    url: config.DATABASE_URL,
    synchronous: config.SQLITE_SYNCHRONOUS,
    busyTimeoutMs: config.BUSY_TIMEOUT_MS,
  });
  try {
    const projections = PROJECTIONS.map((factory) => factory(db.sqlite));
    const store = new EventStore(db.sqlite, projections, clock);
    const broken = chainTailProblem(store.reader);
    if (broken) throw new Error(`${broken}; nothing will be appended to it. Run \`npm run audit -- verify\` and restore from a backup`);
    await ensureReferenceData(store);
    return {
      db,
      store,
      projections,
      directory: new Directory(db.sqlite),
      tokens: new TokenAuthenticator(db.sqlite),
      clock,
      close: async () => {
        await store.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
