/**
 * A process that fires due deadlines and dies by SIGKILL the moment the first firing has committed, before
 * the scheduler learns of it: `store.onCommit` listeners run after the commit and before the append resolves.
 * Run by scheduler.test.ts with DATABASE_URL set.
 */
import { loadSigningKey } from '../../src/audit/signing';
import { loadConfig, systemClock } from '../../src/config';
import { deadlineKinds } from '../../src/deadlines/register';
import { Scheduler } from '../../src/deadlines/scheduler';
import { openRuntime } from '../../src/runtime';

const runtime = await openRuntime(loadConfig(), systemClock);
runtime.store.onCommit((events) => {
  if (events.some((event) => event.metadata.actor.person === 'scheduler')) process.kill(process.pid, 'SIGKILL');
});
const scheduler = new Scheduler(runtime.commands, deadlineKinds(runtime, loadSigningKey(null)), systemClock, 0);
await scheduler.runDue();
process.stdout.write('nothing was fired\n');
await runtime.close();
