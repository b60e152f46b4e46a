import path from 'node:path';
import { isPostgresUrl } from '../eventStore/postgres/url';
import type { EventStore } from '../eventStore/store';
import { signCheckpoint, writeCheckpointFile } from './checkpoint';
import type { SigningKey } from './signing';

export interface CheckpointSchedule {
  directory: string;
  everyEvents: number;
  everyMinutes: number;
}

/** CHECKPOINT_DIR, or a `checkpoints` folder next to a database file; none for `:memory:` unless configured. */
export function checkpointDirectory(databaseUrl: string, configured: string | undefined): string | null {
  if (configured) return path.resolve(configured);
  // PostgreSQL: no folder to be next to; the server asks for SIGNING_KEY_FILE (every instance signs alike).
  if (databaseUrl === ':memory:' || isPostgresUrl(databaseUrl)) return null;
  return path.join(path.dirname(path.resolve(databaseUrl)), 'checkpoints');
}

/**
 * Writes a signed checkpoint of the log's head to files outside the database every N events and every M
 * minutes (when the log has grown). Copied off the machine, those files let an auditor prove later that
 * the log was not cut or rewritten, even by someone who controls the database.
 */
export class CheckpointWriter {
  private sinceLast = 0;
  private lastPosition = -1;
  private pending = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: EventStore,
    private readonly key: SigningKey,
    private readonly schedule: CheckpointSchedule,
    private readonly onError: (error: unknown) => void,
  ) {
    this.unsubscribe = store.onCommit((events) => {
      this.sinceLast += events.length;
      if (this.sinceLast >= schedule.everyEvents) this.soon();
    });
    if (schedule.everyMinutes > 0) {
      this.timer = setInterval(() => this.soon(), schedule.everyMinutes * 60_000);
      this.timer.unref();
    }
  }

  /** Off the commit path: acknowledging a write never waits for a checkpoint file. */
  private soon(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.writeNow();
    });
  }

  writeNow(): string | null {
    try {
      const checkpoint = signCheckpoint(this.store.reader, this.key);
      this.sinceLast = 0;
      if (checkpoint.position === this.lastPosition) return null;
      this.lastPosition = checkpoint.position;
      return writeCheckpointFile(this.schedule.directory, checkpoint);
    } catch (error) {
      this.onError(error);
      return null;
    }
  }

  stop(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }
}
