import { rebuildProjections } from '../src/eventStore/projections';
import { loadConfig } from '../src/config';
import { progressLine, requireDatabase, runCli, withRuntime } from './cli';

/** Drops every view and folds the whole log into them again. */
runCli('rebuild', async () => {
  requireDatabase('rebuild', loadConfig().DATABASE_URL);
  await withRuntime(async (runtime) => {
    let lastReport = 0;
    const result = rebuildProjections(runtime.db.sqlite, runtime.projections, (progress) => {
      if (progress.elapsedMs - lastReport >= 1000 || progress.position === progress.head) {
        lastReport = progress.elapsedMs;
        progressLine('rebuild', progress.position, progress.head, progress.elapsedMs);
      }
    });
    process.stdout.write(
      `rebuilt ${runtime.projections.map((p) => p.name).join(', ')} from ${result.events} events in ${Math.round(result.elapsedMs)} ms\n`,
    );
    const search = runtime.search.lastRebuild;
    if (search && !search.thread)
      process.stdout.write(
        `the search index was filled after the replay, not beside it: ${search.reason ?? 'unknown'}\n`,
      );
  });
});
