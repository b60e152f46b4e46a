import { createHash } from 'node:crypto';
import type { StoredDeclaration } from './queries';

/**
 * The declaration as a document: Markdown, and print-ready HTML. Both carry the paragraphs so that
 * `audit -- verify-declaration` reads them back exactly (documentParse.ts), and, once adopted, the
 * edition, the text's hash and the server's signature. A draft says it is not adopted and has no hash.
 */
type Document = Pick<
  StoredDeclaration,
  'editionId' | 'editionNumber' | 'editionTitle' | 'status' | 'paragraphs' | 'revision' | 'silence'
> &
  Pick<StoredDeclaration, 'adoptedAt' | 'adoptedBy' | 'textHash' | 'signature' | 'receipt'>;

function statusLine(doc: Document): string {
  if (doc.status === 'adopted')
    return `Adopted ${doc.adoptedAt ?? ''} by ${(doc.adoptedBy ?? []).join(', ') || 'no member entity'}.`;
  if (doc.status === 'silence')
    return `NOT ADOPTED: under a silence procedure until ${doc.silence?.until ?? ''} (revision ${doc.revision}). This text carries no hash and no signature.`;
  return `NOT ADOPTED: draft, revision ${doc.revision}. This text carries no hash and no signature.`;
}

function heading(doc: Document): string {
  return `Outcome declaration of edition ${doc.editionNumber}: ${doc.editionTitle}`;
}

/** Each paragraph under its number, its lines quoted (`> `), so no text can pass for the document's own lines. */
export function declarationMarkdown(doc: Document): string {
  const lines = [`# ${heading(doc)}`, '', statusLine(doc), ''];
  for (const paragraph of doc.paragraphs) {
    lines.push(`## ${paragraph.n}`, '');
    lines.push(...paragraph.text.split('\n').map((line) => (line === '' ? '>' : `> ${line}`)), '');
  }
  lines.push('---', '', `- Edition: \`${doc.editionId}\` (number ${doc.editionNumber})`, `- Status: ${doc.status}`);
  if (doc.status === 'adopted') {
    lines.push(`- SHA-256: \`${doc.textHash ?? ''}\``, `- Signature (Ed25519, base64): \`${doc.signature ?? ''}\``);
    if (doc.receipt) lines.push(`- Receipt: position ${doc.receipt.position}, hash \`${doc.receipt.hash}\``);
  }
  return `${lines.join('\n')}\n`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

export const DOCUMENT_STYLE = [
  'body{font:12pt/1.5 Georgia,serif;margin:2cm auto;max-width:17cm;color:#111}',
  'h1{font-size:18pt}h2{font-size:12pt;margin:1.5em 0 .25em}',
  '.text{white-space:pre-wrap;margin:0}',
  '.status{font-weight:bold}.not-adopted{color:#a00}',
  'footer{border-top:1px solid #999;margin-top:2em;font:9pt/1.4 monospace;word-break:break-all}',
  'dt{font-weight:bold}dd{margin:0 0 .5em}',
  '@page{size:A4;margin:2cm 2cm 4cm}',
  '@media print{body{margin:0}.page{break-after:page}.page:last-of-type{break-after:auto}',
  'footer{position:fixed;bottom:-3.5cm;left:0;right:0;margin:0}.paragraph{break-inside:avoid}}',
].join('');

/** The Content-Security-Policy of the HTML document: its own style, nothing else (no script, no fetch). */
export const DOCUMENT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(DOCUMENT_STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** A page per group: a paragraph drafted from a proposal starts one, the paragraphs added after it follow it. */
function pages(doc: Document): Array<Document['paragraphs']> {
  const groups: Array<Document['paragraphs']> = [];
  for (const paragraph of doc.paragraphs) {
    const last = groups.at(-1);
    if (!last || paragraph.sourceProposalId !== null) groups.push([paragraph]);
    else last.push(paragraph);
  }
  return groups;
}

function footer(doc: Document): string {
  const field = (name: string, label: string, value: string) =>
    `<dt>${label}</dt><dd data-field="${name}">${escapeHtml(value)}</dd>`;
  const fields = [
    field('edition-id', 'Edition id', doc.editionId),
    field('edition-number', 'Edition number', String(doc.editionNumber)),
    field('status', 'Status', doc.status),
  ];
  if (doc.status === 'adopted') {
    fields.push(field('text-hash', 'SHA-256 of the canonical text', doc.textHash ?? ''));
    fields.push(field('signature', "Server's Ed25519 signature (base64)", doc.signature ?? ''));
  }
  return `<footer><dl>${fields.join('')}</dl></footer>`;
}

export function declarationHtml(doc: Document): string {
  const title = escapeHtml(heading(doc));
  const body = pages(doc)
    .map((group) => {
      const items = group.map(
        (p) =>
          `<article class="paragraph" id="p${p.n}" data-n="${p.n}"><h2>${p.n}.</h2><p class="text">${escapeHtml(p.text)}</p></article>`,
      );
      return `<section class="page">\n${items.join('\n')}\n</section>`;
    })
    .join('\n');
  const statusClass = doc.status === 'adopted' ? 'status' : 'status not-adopted';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title><style>${DOCUMENT_STYLE}</style></head><body>`,
    `<header><h1>${title}</h1><p class="${statusClass}">${escapeHtml(statusLine(doc))}</p></header>`,
    `<main>\n${body}\n</main>`,
    footer(doc),
    '</body></html>',
    '',
  ].join('\n');
}
