import { createHash, type KeyObject, sign, verify } from 'node:crypto';

/**
 * The canonical text of a declaration, what its hash covers: each paragraph as `<n>. <text>`, numbered
 * from 1, separated by one blank line, ending with one newline; within a paragraph the text is Unicode NFC,
 * line breaks are `\n`, trailing spaces and tabs of each line are removed, and the paragraph is trimmed.
 * A line of a paragraph that starts with a number and a dot, or with a backslash, is escaped with a backslash,
 * so that only the numbering marks where a paragraph begins: two paragraphs never hash as one.
 * A document's paragraphs give the same text back, whatever its layout.
 */
export function canonicalText(paragraphs: readonly string[]): string {
  const body = paragraphs.map((text, index) => `${index + 1}. ${canonicalParagraph(text)}`).join('\n\n');
  return `${body}\n`;
}

function canonicalParagraph(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .trim()
    .replace(/^(?=\\|\d+\.)/gm, '\\');
}

/** SHA-256 of the canonical text's UTF-8 bytes, lowercase hex. */
export function textHash(paragraphs: readonly string[]): string {
  return createHash('sha256').update(canonicalText(paragraphs), 'utf8').digest('hex');
}

/**
 * What the server signs when a declaration is adopted: it binds the hash to one edition, so that a text
 * signed for one edition cannot be passed off as another's.
 */
export function signedMessage(editionId: string, editionNumber: number, hash: string): string {
  return `dialogue-declaration-v1\nedition-id: ${editionId}\nedition-number: ${editionNumber}\nsha256: ${hash}\n`;
}

/** The Ed25519 signature (base64) of the signed message. */
export function signDeclaration(key: KeyObject, editionId: string, editionNumber: number, hash: string): string {
  return sign(null, Buffer.from(signedMessage(editionId, editionNumber, hash), 'utf8'), key).toString('base64');
}

/** Whether the signature is the public key's over the signed message (a malformed one is simply invalid). */
export function signatureValid(
  publicKeyPem: string,
  signature: string,
  message: { editionId: string; editionNumber: number; hash: string },
): boolean {
  try {
    const text = signedMessage(message.editionId, message.editionNumber, message.hash);
    return verify(null, Buffer.from(text, 'utf8'), publicKeyPem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
