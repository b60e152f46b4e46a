import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../../src/audit/signing';
import { parseDeclaration } from '../../../src/editions/declaration/documentParse';
import { type DeclarationContext, adoptedDeclaration, declarationContext, paths } from './support';

let c: DeclarationContext;
beforeEach(async () => {
  c = await declarationContext();
});
afterEach(() => c.t.close());

const key = loadSigningKey(null);

describe('the declaration as documents', () => {
  it('marks a draft as not adopted, with no hash or signature', async () => {
    const p = paths(c.editionId);
    await c.api.post(c.secretariat, p.base);
    const md = await c.api.get(c.sco, `${p.base}.md`);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('NOT ADOPTED: draft, revision 1');
    expect(md.body).not.toContain('SHA-256');
    const html = await c.api.get(c.sco, `${p.base}.html`);
    expect(html.body).toContain('class="status not-adopted"');
    expect(html.body).not.toContain('data-field="text-hash"');
    expect(parseDeclaration(md.body)).toMatchObject({ status: 'draft', textHash: null });
  });

  it('gives the adopted text back exactly from both documents, with the hash, signature and edition', async () => {
    await adoptedDeclaration(c, key);
    const p = paths(c.editionId);
    const view = (await c.api.get(c.europol, p.base)).json();
    const texts = view.paragraphs.map((paragraph: { text: string }) => paragraph.text);
    for (const suffix of ['.md', '.html']) {
      const doc = parseDeclaration((await c.api.get(c.europol, `${p.base}${suffix}`)).body);
      expect(doc).toEqual({
        editionId: c.editionId,
        editionNumber: 7,
        status: 'adopted',
        paragraphs: texts,
        textHash: view.textHash,
        signature: view.signature,
      });
    }
  });

  it('serves self-contained HTML: no script runs, a page per paragraph group, a strict policy', async () => {
    await adoptedDeclaration(c, key);
    const res = await c.api.get(c.europol, `${paths(c.editionId).base}.html`);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('&lt;script&gt;');
    // Two drafted paragraphs each start a page; the added one follows the second.
    expect(res.body.match(/<section class="page">/g)).toHaveLength(2);
  });

  it('answers 404 for an edition without a declaration', async () => {
    expect((await c.api.get(c.europol, `${paths(c.editionId).base}.md`)).statusCode).toBe(404);
    expect((await c.api.get(c.europol, `${paths('nope').base}.html`)).statusCode).toBe(404);
  });
});
