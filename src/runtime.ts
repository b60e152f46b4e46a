import { CommandHandler } from './commands/handler';
import { IdempotencyKeys } from './commands/idempotency';
import type { Clock, Config } from './config';
import { Directory } from './dialogue/directory';
import { dialogueProjection } from './dialogue/projection';
import { ensureReferenceData } from './dialogue/seed';
import { type DatabaseHandle, openDatabase } from './eventStore/database';
import type { Projection, ProjectionFactory } from './eventStore/projections';
import { EventStore } from './eventStore/store';
import { actionItemsProjection } from './actionItems/projection';
import { ActionItemQueries } from './actionItems/queries';
import { editionsProjection } from './editions/projection';
import { EditionQueries } from './editions/queries';
import { DialogueQueries } from './dialogue/queries';
import { ProposalQueries } from './proposals/queries';
import { proposalsProjection } from './proposals/projection';
import { SearchBuild } from './proposals/search/searchBuild';
import { SearchIndex } from './proposals/search/searchIndex';
import { chainTailProblem } from './startupGuards';
import { TokenAuthenticator } from './tokens/tokens';
import { tokensProjection } from './tokens/projection';
import { ViewGeneration } from './eventStore/viewGeneration';
import { declarationProjection } from './editions/declaration/projection';
import { DeclarationQueries } from './editions/declaration/queries';

/** Every inline projection, in the order they apply each event. */
export const PROJECTIONS: readonly ProjectionFactory[] = [
  dialogueProjection,
  tokensProjection,
  proposalsProjection,
  actionItemsProjection,
  editionsProjection,
  declarationProjection,
];

/** What the server and every CLI share: the migrated database, the log, the views and the look-ups. */
export interface Runtime {
  db: DatabaseHandle;
  store: EventStore;
  /** The write path: the fold cache, the per-stream queues and the idempotency keys (also the store's ledger). */
  commands: CommandHandler;
  /** Every view, for rebuilds: the inline projections and the search index (which follows the log). */
  projections: readonly Projection[];
  search: SearchIndex;
  directory: Directory;
  /** The working groups' reads, prepared once. */
  dialogue: DialogueQueries;
  /** The action item views' reads, prepared once. */
  actionItems: ActionItemQueries;
  /** The proposal views' reads, prepared once. */
  proposals: ProposalQueries;
  /** The edition views' reads (agenda, attendance, report), prepared once. */
  editions: EditionQueries;
  /** The outcome declarations' reads, prepared once. */
  declarations: DeclarationQueries;
  tokens: TokenAuthenticator;
  /** The generation of the views kept in memory, shared by every look-up that keeps copies of them. */
  generation: ViewGeneration;
  clock: Clock;
  close(): Promise<void>;
}

export type RuntimeConfig = Pick<Config, 'DATABASE_URL' | 'SQLITE_SYNCHRONOUS' | 'BUSY_TIMEOUT_MS'> &
  Partial<Pick<Config, 'SQLITE_WAL_AUTOCHECKPOINT'>>;

/** Opens (and migrates) the database, wires the store to the projections, and records the reference data. */
export async function openRuntime(config: RuntimeConfig, clock: Clock): Promise<Runtime> {
  const db = await openDatabase({
    url: config.DATABASE_URL,
    synchronous: config.SQLITE_SYNCHRONOUS,
    busyTimeoutMs: config.BUSY_TIMEOUT_MS,
    ...(config.SQLITE_WAL_AUTOCHECKPOINT === undefined
      ? {}
      : { walAutocheckpointPages: config.SQLITE_WAL_AUTOCHECKPOINT }),
  });
  try {
    // Moved by this connection's reference-data changes and by other connections' commits: every copy of a
    // view kept in memory (tokens, participation, folds) is checked against it.
    const generation = new ViewGeneration(db.sqlite);
    const inline = PROJECTIONS.map((factory) => factory(db.sqlite, generation));
    const idempotency = new IdempotencyKeys(db.sqlite);
    const store = new EventStore(db.sqlite, inline, clock, idempotency);
    const broken = chainTailProblem(store.reader);
    if (broken)
      throw new Error(
        `${broken}; nothing will be appended to it. Run \`npm run audit -- verify\` and restore from a backup`,
      );
    const search = new SearchIndex(db.sqlite, store.reader);
    // Text committed before a crash and not yet indexed is indexed now, from the log; a rebuild's build
    // file left by a crash is removed.
    search.catchUp();
    SearchBuild.removeLeftover(db.sqlite);
    store.onCommit((events) => search.committed(events));
    await ensureReferenceData(store);
    const actionItems = new ActionItemQueries(db.sqlite);
    return {
      db,
      store,
      commands: new CommandHandler(store, idempotency, generation),
      projections: [...inline, search.projection],
      search,
      directory: new Directory(db.sqlite, generation),
      dialogue: new DialogueQueries(db.sqlite),
      actionItems,
      proposals: new ProposalQueries(db.sqlite, search.tables, actionItems),
      editions: new EditionQueries(db.sqlite),
      declarations: new DeclarationQueries(db.sqlite),
      tokens: new TokenAuthenticator(db.sqlite, generation),
      generation,
      clock,
      close: async () => {
        await store.close();
        try {
          search.close();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
