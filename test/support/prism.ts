import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRISM = path.join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

/** A running Prism proxy: its URL, and how to stop it (and wait for its exit). */
export interface PrismProxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * Stoplight Prism as a validating proxy in front of `upstream`, as its own process, once it listens.
 * Port 0: Prism prints the address it got ("Prism is listening on http://…"), so no port is guessed.
 * Either way Prism names each violation it finds in an `sl-violations` header. With `errors`
 * (`--errors`), a response that violates the document is replaced by Prism's own problem (a 500), and a
 * request that violates it is answered by Prism (422, or 401 without credentials) instead of forwarded.
 */
export function startPrism(document: string, upstream: string, options: { errors: boolean }): Promise<PrismProxy> {
  const args = [
    'proxy',
    document,
    upstream,
    `--errors=${options.errors}`,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--no-multiprocess',
  ];
  // node itself runs the CLI, in one process (no cluster worker), so killing it leaves nothing behind.
  const child = spawn(process.execPath, [PRISM, ...args], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // What Prism printed until it listened, for the error when it does not start; later lines are read and dropped.
  const log: string[] = [];
  let listening = false;
  const stop = () => stopChild(child);
  return new Promise((resolve, reject) => {
    // A Prism that never says it listens is stopped here, not left running after the tests.
    const timer = setTimeout(() => {
      reject(new Error(`Prism did not start:\n${log.join('\n')}`));
      void stop();
    }, 30_000);
    let pending = '';
    // Both streams are read to the end: a full pipe would block Prism.
    const read = (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of listening ? [] : lines.map((text) => stripVTControlCharacters(text))) {
        log.push(line);
        const url = /Prism is listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url && !listening) {
          listening = true;
          clearTimeout(timer);
          resolve({ url, stop });
        }
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code ?? signal}) before listening:\n${log.join('\n')}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
