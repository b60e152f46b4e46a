/**
 * An immutable set that only grows, for ids that accumulate over a long deliberation (comments): adding to
 * the newest state shares its storage instead of copying it (copying made every comment cost as much as
 * the comments before it). Each state sees only the first `size` entries of the shared index, so an older
 * state stays what it was; adding to an older state, which a fold never does, copies.
 */
export class GrowingSet {
  private constructor(
    private readonly shared: { index: Map<string, number>; size: number },
    readonly size: number,
  ) {}

  static empty(): GrowingSet {
    return new GrowingSet({ index: new Map(), size: 0 }, 0);
  }

  has(id: string): boolean {
    const at = this.shared.index.get(id);
    return at !== undefined && at < this.size;
  }

  with(id: string): GrowingSet {
    if (this.has(id)) return this;
    let shared = this.shared;
    if (shared.size !== this.size) {
      shared = { index: new Map([...shared.index].filter(([, at]) => at < this.size)), size: this.size };
    }
    shared.index.set(id, this.size);
    shared.size = this.size + 1;
    return new GrowingSet(shared, this.size + 1);
  }
}
