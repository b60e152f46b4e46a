import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextMessage, spawnTs } from './lib';
import type { PoolCommand } from './ws-clients';

/** A websocket client pool in a child process; each call waits for the pool's answer. */
export interface Pool {
  call<T>(command: PoolCommand): Promise<T>;
  exit(): Promise<void>;
}

export async function startPool(): Promise<Pool> {
  const child = spawnTs(path.join(path.dirname(fileURLToPath(import.meta.url)), 'ws-clients.ts'), []);
  await nextMessage(child);
  return {
    async call<T>(command: PoolCommand): Promise<T> {
      const answer = nextMessage<{ ok: boolean; result?: T; error?: string }>(child);
      child.send(command);
      const reply = await answer;
      if (!reply.ok) throw new Error(reply.error ?? 'the client pool failed');
      return reply.result as T;
    },
    async exit() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ cmd: 'exit' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
