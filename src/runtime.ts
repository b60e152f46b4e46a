import { CommandHandler } from './commands/handler';
import { IdempotencyKeys } from './commands/idempotency';
import type { Clock, Config } from './config';
import { Directory } from './dialogue/directory';
import { dialogueProjection } from './dialogue/projection';
import { ensureReferenceData } from './dialogue/seed';
import { type DatabaseHandle, openDatabase } from './eventStore/database';
import type { Projection, ProjectionFactory } from './eventStore/projections';
import { EventStore } from './eventStore/store';
import { PgLog } from './eventStore/postgres/pgLog';
import { isPostgresUrl } from './eventStore/postgres/url';
import { actionItemsProjection } from './actionItems/projection';
import { ActionItemQueries } from './actionItems/queries';
import { editionsProjection } from './editions/projection';
import { EditionQueries } from './editions/queries';
import { DialogueQueries } from './dialogue/queries';
import { ProposalQueries } from './proposals/queries';
import { proposalsProjection } from './proposals/projection';
import { SearchBuild } from './proposals/search/searchBuild';
import { SearchIndex } from './proposals/search/searchIndex';
import { PgSearch } from './proposals/search/pgSearch';
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
  /** Every view, for rebuilds: the inline projections and, on SQLite, the search index (which follows the log). */
  projections: readonly Projection[];
  /** SQLite's FTS5 index; on PostgreSQL it stays empty and follows nothing (`pgSearch` searches there). */
  search: SearchIndex;
  /** With PostgreSQL: the search over the log's database (`proposal_search`, which follows the log). */
  pgSearch: PgSearch | undefined;
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
  Partial<
    Pick<
      Config,
      | 'SQLITE_WAL_AUTOCHECKPOINT'
      | 'PG_POOL_SIZE'
      | 'PG_CONNECT_TIMEOUT_MS'
      | 'PG_STATEMENT_TIMEOUT_MS'
      | 'REPLICA_PATH'
    >
  >;

/** The shared log when DATABASE_URL names PostgreSQL; undefined for SQLite. */
async function openRemote(config: RuntimeConfig): Promise<PgLog | undefined> {
  if (!isPostgresUrl(config.DATABASE_URL)) return undefined;
  return PgLog.open({
    url: config.DATABASE_URL,
    poolSize: config.PG_POOL_SIZE ?? 10,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS ?? 2000,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS ?? 5000,
  });
}

/** Opens (and migrates) the database, wires the store to the projections, and records the reference data. */
export async function openRuntime(config: RuntimeConfig, clock: Clock): Promise<Runtime> {
  const remote = await openRemote(config);
  let db: DatabaseHandle;
  try {
    db = await openDatabase({
      // With PostgreSQL, SQLite holds this instance's replica of the log and its views.
      url: remote ? (config.REPLICA_PATH ?? ':memory:') : config.DATABASE_URL,
      synchronous: config.SQLITE_SYNCHRONOUS,
      busyTimeoutMs: config.BUSY_TIMEOUT_MS,
      ...(config.SQLITE_WAL_AUTOCHECKPOINT === undefined
        ? {}
        : { walAutocheckpointPages: config.SQLITE_WAL_AUTOCHECKPOINT }),
    });
  } catch (error) {
    await remote?.close();
    throw error;
  }
  try {
    // Moved by this connection's reference-data changes and by other connections' commits: every copy of a
    // view kept in memory (tokens, participation, folds) is checked against it.
    const generation = new ViewGeneration(db.sqlite);
    const inline = PROJECTIONS.map((factory) => factory(db.sqlite, generation));
    const idempotency = new IdempotencyKeys(db.sqlite);
    const store = new EventStore(db.sqlite, inline, clock, idempotency, remote);
    if (remote) await replicaOf(store, remote);
    const broken = chainTailProblem(store.reader);
    if (broken)
      throw new Error(
        `${broken}; nothing will be appended to it. Run \`npm run audit -- verify\` and restore from a backup`,
      );
    const search = new SearchIndex(db.sqlite, store.reader, { follows: !remote });
    // Text committed before a crash and not yet indexed is indexed now, from the log; a rebuild's build
    // file left by a crash is removed.
    search.catchUp();
    SearchBuild.removeLeftover(db.sqlite);
    store.onCommit((events) => search.committed(events));
    const pgSearch = remote ? new PgSearch(remote.pool, db.sqlite) : undefined;
    if (pgSearch) {
      // As on SQLite: text no instance has indexed yet (a restored or newly migrated log) is indexed now.
      pgSearch.followInBackground();
      store.onCommit((events) => pgSearch.committed(events));
    }
    await ensureReferenceData(store);
    const actionItems = new ActionItemQueries(db.sqlite);
    return {
      db,
      store,
      commands: new CommandHandler(store, idempotency, generation),
      projections: remote ? inline : [...inline, search.projection],
      search,
      pgSearch,
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
          await pgSearch?.close();
          search.close();
        } finally {
          await db.close();
          await remote?.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    await remote?.close();
    throw error;
  }
}

/**
 * Brings a replica up to the shared log at start. A replica kept in a file must hold a prefix of that log:
 * one whose head is not in the log (another database, or a log restored to an earlier point) is refused.
 */
async function replicaOf(store: EventStore, remote: PgLog): Promise<void> {
  const local = store.reader.head();
  if (local.position > 0) {
    const [same] = await remote.read(local.position - 1, 1);
    if (!same || same.hash !== local.hash)
      throw new Error(
        `the replica at REPLICA_PATH holds position ${local.position}, which the PostgreSQL log does not: remove the replica file and start again`,
      );
  }
  await store.catchUp();
}
