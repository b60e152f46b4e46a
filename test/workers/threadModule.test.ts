import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadModuleSource } from '../../src/workers/threadModule';

describe('threadModuleSource', () => {
  it('runs a TypeScript module on a thread, its types stripped and its packages required from its own file', async () => {
    const url = new URL('./typedThread.ts', import.meta.url);
    const code = await threadModuleSource(url);
    const worker = new Worker(code, { eval: true, execArgv: [], workerData: 21 });
    try {
      const [reply] = await Promise.race([
        once(worker, 'message'),
        once(worker, 'error').then(([error]) => Promise.reject(error)),
      ]);
      expect(reply).toEqual({ doubled: 42, self: fileURLToPath(url) });
    } finally {
      await worker.terminate();
    }
  });
});
