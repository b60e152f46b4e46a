import os from 'node:os';
import { loadConfig, systemClock } from '../src/config';
import type { ActorRef } from '../src/eventStore/types';
import { openRuntime, type Runtime } from '../src/runtime';

/** The actor recorded on events written by an operator's command-line tool. */
export function operatorActor(): ActorRef {
  let user = 'operator';
  try {
    user = os.userInfo().username;
  } catch {
    // No user name (some containers): keep the generic one.
  }
  return { entityId: null, person: `cli:${user}`, role: 'secretariat' };
}

/** Opens the runtime on DATABASE_URL (migrating it, like the server) and closes it after `work`. */
export async function withRuntime<T>(work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openRuntime(config, systemClock);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** Prints a message on stderr and exits non-zero. */
export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function progressLine(label: string, done: number, total: number, elapsedMs: number): void {
  const rate = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  const percent = total > 0 ? ((done / total) * 100).toFixed(1) : '100.0';
  process.stderr.write(`${label}: ${done}/${total} events (${percent}%), ${rate} events/s\n`);
}
