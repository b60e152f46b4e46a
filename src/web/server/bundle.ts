import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** One built file of the page, kept in memory with its gzip form and a content hash for its URL. */
export interface Asset {
  name: string;
  contentType: string;
  body: Buffer;
  gzip: Buffer;
  hash: string;
}

export interface WebBundle {
  script: Asset;
  style: Asset;
}

const CLIENT = path.resolve(import.meta.dirname, '../client');

/**
 * Builds the page's script and style sheet with esbuild, in memory: nothing is written to disk or committed,
 * and `npm start` serves what the source says (about a quarter of a second for the whole page).
 */
export async function buildWebBundle(): Promise<WebBundle> {
  const result = await build({
    entryPoints: [path.join(CLIENT, 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: '/assets',
    entryNames: 'app',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const asset = (extension: string, contentType: string): Asset => {
    const file = result.outputFiles.find((output) => output.path.endsWith(extension));
    if (!file) throw new Error(`the web bundle has no ${extension} file`);
    const body = Buffer.from(file.contents);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    return { name: `app.${hash}${extension}`, contentType, body, gzip: gzipSync(body, { level: 9 }), hash };
  };
  return { script: asset('.js', 'text/javascript; charset=utf-8'), style: asset('.css', 'text/css; charset=utf-8') };
}

let built: Promise<WebBundle> | undefined;

/** The bundle of this process, built on first use: the server builds it before listening, tests when a page is asked for. */
export function webBundle(): Promise<WebBundle> {
  built ??= buildWebBundle();
  return built;
}
