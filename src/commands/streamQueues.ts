/**
 * Commands on the same stream run one after the other in this process: each decides on the state the
 * previous one committed, so a burst of comments on one proposal never turns into a storm of version
 * conflicts and retries. Commands on different streams still share group commits. (Writers in other
 * processes are still caught by the expected version, and retried.)
 */
export class StreamQueues {
  /** The tail of each stream's queue: settled when the last command queued on it has. */
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(streamId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(streamId, tail);
    void tail.then(() => {
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    });
    return run;
  }
}
