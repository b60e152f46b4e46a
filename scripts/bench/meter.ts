/**
 * Counts calls of `step`, run back to back, over the slices it is given: the append scenarios measure
 * their contenders in short slices in turn, so that a burst of load from a neighbour falls on all alike.
 */
export function meter(step: (i: number) => unknown) {
  let i = 0;
  let count = 0;
  let elapsedMs = 0;
  return {
    async warm(ms: number) {
      const until = performance.now() + ms;
      while (performance.now() < until) await step(i++);
    },
    async slice(seconds: number) {
      const started = performance.now();
      const until = started + seconds * 1000;
      while (performance.now() < until) {
        await step(i++);
        count += 1;
      }
      elapsedMs += performance.now() - started;
    },
    rate: () => (count / elapsedMs) * 1000,
  };
}
