/** What a downloaded declaration document says: its paragraphs and, when adopted, its hash and signature. */
export interface ParsedDeclaration {
  editionId: string;
  editionNumber: number;
  status: string;
  paragraphs: string[];
  textHash: string | null;
  signature: string | null;
}

/** Reads a document written by document.ts (Markdown or HTML, told apart by its first line). */
export function parseDeclaration(text: string): ParsedDeclaration {
  return /^\s*<!doctype html/i.test(text) ? parseHtml(text) : parseMarkdown(text);
}

function numbered(found: Array<[number, string]>): string[] {
  found.forEach(([n], index) => {
    if (n !== index + 1) throw new Error(`paragraph ${index + 1} is missing (found ${n} in its place)`);
  });
  return found.map(([, text]) => text);
}

function parseMarkdown(text: string): ParsedDeclaration {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const separator = lines.lastIndexOf('---');
  if (separator < 0) throw new Error('no footer: this is not a declaration document');
  const found: Array<[number, string]> = [];
  let current: { n: number; lines: string[] } | undefined;
  for (const line of lines.slice(0, separator)) {
    const start = /^## (\d+)$/.exec(line);
    if (start) {
      current = { n: Number(start[1]), lines: [] };
      found.push([current.n, '']);
    } else if (current && (line === '>' || line.startsWith('> '))) {
      current.lines.push(line.slice(2));
      found[found.length - 1] = [current.n, current.lines.join('\n')];
    } else if (line !== '') current = undefined;
  }
  const footer = lines.slice(separator + 1).join('\n');
  const edition = /^- Edition: `([^`]+)` \(number (\d+)\)$/m.exec(footer);
  const status = /^- Status: (\S+)$/m.exec(footer);
  if (!edition?.[1] || !status?.[1]) throw new Error('the footer does not name the edition and the status');
  return {
    editionId: edition[1],
    editionNumber: Number(edition[2]),
    status: status[1],
    paragraphs: numbered(found),
    textHash: /^- SHA-256: `([^`]*)`$/m.exec(footer)?.[1] ?? null,
    signature: /^- Signature \(Ed25519, base64\): `([^`]*)`$/m.exec(footer)?.[1] ?? null,
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (text: string) =>
  text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);

function parseHtml(text: string): ParsedDeclaration {
  const found: Array<[number, string]> = [];
  const paragraph =
    /<article class="paragraph" id="p\d+" data-n="(\d+)"><h2>\d+\.<\/h2><p class="text">([^<]*)<\/p><\/article>/g;
  for (const match of text.matchAll(paragraph)) found.push([Number(match[1]), unescapeHtml(match[2] ?? '')]);
  const fields = new Map<string, string>();
  for (const match of text.matchAll(/<dd data-field="([a-z-]+)">([^<]*)<\/dd>/g))
    fields.set(match[1] ?? '', unescapeHtml(match[2] ?? ''));
  const editionId = fields.get('edition-id');
  const status = fields.get('status');
  if (editionId === undefined || status === undefined)
    throw new Error('the footer does not name the edition and the status');
  return {
    editionId,
    editionNumber: Number(fields.get('edition-number')),
    status,
    paragraphs: numbered(found),
    textHash: fields.get('text-hash') ?? null,
    signature: fields.get('signature') ?? null,
  };
}
