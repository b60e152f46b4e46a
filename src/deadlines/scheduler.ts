import type { CommandHandler } from '../commands/handler';
import type { Clock } from '../config';
import type { Actor } from '../dialogue/actor';
import { BadRequest, StoreUnavailable } from '../errors';
import { newId } from '../eventStore/eventId';
import type { DueDeadline, SomeDeadlineKind } from './kind';

/** Who the log names for what the server did by itself when a deadline passed. */
export const SCHEDULER_ACTOR: Actor = {
  tokenId: 'scheduler',
  role: 'secretariat',
  entityId: null,
  entityKind: null,
  person: 'scheduler',
};

/** One deadline fired by a pass: what was due, when, and the position of the event that fired it. */
export interface Fired {
  kind: string;
  streamId: string;
  dueAt: string;
  firedAt: string;
  position: number;
}

export interface SchedulerLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** How many due deadlines of one kind a pass takes; more wait for the next pass. */
const BATCH = 100;
/** How long a deadline whose firing failed unexpectedly waits before the next attempt. */
const RETRY_AFTER_MS = 60_000;
/** Deadlines a pass found nothing to fire for (already fired elsewhere), remembered to skip them. */
const SETTLED_MAX = 10_000;

/**
 * Fires every deadline once, within one interval of its time: each pass asks every kind which deadlines are
 * due at the clock's now (the views, so a deadline missed while the server was down is due at the next
 * start) and appends the firing event through the command handler. Exactly once holds in the log, not here:
 * the firing is decided on the stream's state and appended at its version, so a second attempt (a restart,
 * another process on the same database) is a version conflict, then a decision that finds nothing to fire.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<Fired[]> | undefined;
  private stopped = true;
  /** `streamId dueAt` of deadlines found settled, and of failed ones with the time of their next attempt. */
  private readonly settled = new Set<string>();
  private readonly failed = new Map<string, number>();
  /** Told how late each firing was (the metrics' scheduler lag). */
  onFired: ((lagMs: number) => void) | undefined;

  constructor(
    private readonly commands: CommandHandler,
    private readonly kinds: readonly SomeDeadlineKind[],
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly log?: SchedulerLog,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the passes and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass?.catch(() => undefined);
  }

  /** One pass now (tests move the clock and call it), after the one under way if there is one. */
  async runDue(): Promise<Fired[]> {
    while (this.pass) await this.pass.catch(() => undefined);
    this.pass = this.firePass();
    try {
      return await this.pass;
    } finally {
      this.pass = undefined;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runDue()
        .catch((error: unknown) => this.log?.error({ err: error }, 'deadline pass failed'))
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async firePass(): Promise<Fired[]> {
    const fired: Fired[] = [];
    for (const kind of this.kinds) {
      // Deadlines this process skips (settled, or waiting to retry) still come first: ask past them.
      for (const deadline of kind.due(this.clock(), BATCH + this.settled.size + this.failed.size)) {
        const outcome = await this.fireOne(kind, deadline);
        if (outcome) fired.push(outcome);
      }
    }
    return fired;
  }

  private async fireOne(kind: SomeDeadlineKind, deadline: DueDeadline): Promise<Fired | undefined> {
    const key = `${deadline.streamId} ${deadline.dueAt}`;
    if (this.settled.has(key) || (this.failed.get(key) ?? 0) > this.clock().getTime()) return undefined;
    const firedAt = this.clock().toISOString();
    try {
      const response = await this.commands.handle(
        { actor: SCHEDULER_ACTOR, requestId: `scheduler-${newId(12)}` },
        {
          streamId: deadline.streamId,
          decider: kind.decider,
          statusCode: 200,
          decide: (state) => kind.fire(state, { dueAt: deadline.dueAt, firedAt }),
        },
      );
      this.failed.delete(key);
      const position = Number(response.body.position);
      const lagMs = Date.parse(firedAt) - Date.parse(deadline.dueAt);
      this.log?.info({ kind: kind.name, streamId: deadline.streamId, dueAt: deadline.dueAt, lagMs }, 'deadline fired');
      this.onFired?.(lagMs);
      return { kind: kind.name, streamId: deadline.streamId, dueAt: deadline.dueAt, firedAt, position };
    } catch (error) {
      // Nothing left to fire: another process (or an earlier pass) fired it, and this view had not caught up.
      if (error instanceof BadRequest) {
        if (this.settled.size >= SETTLED_MAX) this.settled.clear();
        this.settled.add(key);
        return undefined;
      }
      // The log cannot commit now: the next pass tries again, as it would after a restart.
      if (!(error instanceof StoreUnavailable)) this.failed.set(key, this.clock().getTime() + RETRY_AFTER_MS);
      this.log?.error({ err: error, kind: kind.name, streamId: deadline.streamId }, 'deadline not fired');
      return undefined;
    }
  }
}
