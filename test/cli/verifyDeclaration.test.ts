import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/audit/signing';
import {
  type DeclarationContext,
  adoptedDeclaration,
  declarationContext,
  paths,
} from '../editions/declaration/support';
import { runTs } from '../support/cli';

let dir: string;
let c: DeclarationContext;
const key = loadSigningKey(null);
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
const verify = (document: string, keyFile: string) =>
  runTs('scripts/audit.ts', ['verify-declaration', document, '--public-key', keyFile], { DATABASE_URL: ':memory:' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-declaration-'));
  c = await declarationContext();
});
afterAll(async () => {
  await c.t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit verify-declaration', () => {
  it('accepts a downloaded .md and .html, and refuses one changed character, another key, a draft, and no key or file', async () => {
    await c.api.post(c.secretariat, paths(c.editionId).base);
    const draft = file('draft.md', (await c.api.get(c.europol, `${paths(c.editionId).base}.md`)).body);
    const adopted = await declarationContext();
    await adoptedDeclaration(adopted, key);
    const base = paths(adopted.editionId).base;
    const md = (await adopted.api.get(adopted.europol, `${base}.md`)).body;
    const html = (await adopted.api.get(adopted.europol, `${base}.html`)).body;
    await adopted.t.close();
    const publicKey = file('key.pem', key.publicKeyPem);
    const other = file(
      'other.pem',
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const env = { DATABASE_URL: ':memory:' };
    const mdFile = file('d.md', md);
    const [okMd, okHtml, tamperedMd, tamperedHtml, wrongKey, notAdopted, noKey, noFile] = await Promise.all([
      verify(mdFile, publicKey),
      verify(file('d.html', html), publicKey),
      verify(file('t.md', md.replace('Four areas', 'Five areas')), publicKey),
      verify(file('t.html', html.replace('Four areas', 'Four areaz')), publicKey),
      verify(file('w.md', md), other),
      verify(draft, publicKey),
      runTs('scripts/audit.ts', ['verify-declaration', mdFile], env),
      runTs('scripts/audit.ts', ['verify-declaration'], env),
    ]);
    expect(okMd.code).toBe(0);
    expect(okMd.stdout).toMatch(
      /^ok: the declaration of edition 7 \(.+\), 3 paragraphs, sha256 [0-9a-f]{64}, signed by the public key /,
    );
    expect(okHtml.code).toBe(0);
    expect(tamperedMd).toMatchObject({ code: 1, stdout: expect.stringMatching(/^the text was changed/) });
    expect(tamperedHtml).toMatchObject({ code: 1, stdout: expect.stringMatching(/^the text was changed/) });
    expect(wrongKey).toMatchObject({ code: 1, stdout: expect.stringMatching(/^the signature does not verify/) });
    expect(noKey).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^audit: the declaration's signature cannot be checked: no public key/),
    });
    expect(noFile).toMatchObject({ code: 2, stderr: expect.stringMatching(/^verify-declaration takes one file/) });
    expect(notAdopted).toMatchObject({ code: 1, stdout: expect.stringMatching(/is not adopted \(draft\)/) });
  });
});
