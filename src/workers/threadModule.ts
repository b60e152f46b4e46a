import { readFileSync } from 'node:fs';
import { transform, transformSync } from 'esbuild';

/**
 * A worker thread's code from its TypeScript module, for `new Worker(code, { eval: true, execArgv: [] })`:
 * the module stripped of its types by esbuild's service (the one the web bundle uses), since Node 20 cannot
 * run TypeScript and a thread that registers tsx's loader first takes about half a second more to start
 * (docs/performance.md). It is not bundled: the module may import packages, but only types from ours.
 */
export async function threadModuleSource(url: URL): Promise<string> {
  const { code } = await transform(readFileSync(url, 'utf8'), TRANSFORM);
  return withOwnRequire(code, url);
}

/**
 * The same, synchronously, for a caller that cannot wait (the rebuild runs in one synchronous stretch). Its
 * first call keeps a thread of esbuild's in the process, so the server never calls it.
 */
export function threadModuleSourceSync(url: URL): string {
  return withOwnRequire(transformSync(readFileSync(url, 'utf8'), TRANSFORM).code, url);
}

const TRANSFORM = { loader: 'ts', format: 'cjs', target: 'node20' } as const;

/** Runs the code with the module's own `require`, resolving from its file as its imports would. */
function withOwnRequire(code: string, url: URL): string {
  const ownRequire = `require('node:module').createRequire(${JSON.stringify(url.href)})`;
  return `(function (require, module, exports) {\n${code}\n})(${ownRequire}, { exports: {} }, {});`;
}
