import { signatureValid, textHash } from '../src/editions/declaration/canonical';
import { type ParsedDeclaration, parseDeclaration } from '../src/editions/declaration/documentParse';
import { verificationKey } from './auditKeys';
import { errorMessage, readInputFile } from './cli';

/** The one-line refusal of a document, on stdout, and exit code 1 (as `audit -- verify` reports a broken log). */
function refuse(message: string): never {
  process.stdout.write(`${message}\n`);
  process.exit(1);
}

/**
 * Checks a downloaded declaration (.md or .html) offline: it must be adopted, its paragraphs must hash to
 * the hash it carries, and the signature must be the server's over that hash, its edition id and number.
 */
export function verifyDeclaration(file: string, publicKey: string | undefined): never {
  const text = readInputFile('audit', file, 'the declaration');
  let doc: ParsedDeclaration;
  try {
    doc = parseDeclaration(text);
  } catch (error) {
    refuse(`${file} is not a declaration document: ${errorMessage(error)}`);
  }
  if (doc.status !== 'adopted')
    refuse(`the declaration of edition ${doc.editionNumber} is not adopted (${doc.status}): it has no hash to check`);
  if (!doc.textHash || !doc.signature) refuse('the document carries no hash or no signature');
  const hash = textHash(doc.paragraphs);
  if (hash !== doc.textHash)
    refuse(`the text was changed: its paragraphs hash to ${hash}, the document says ${doc.textHash}`);
  const example = `npm run --silent audit -- verify-declaration ${file} --public-key key.pem`;
  const key = verificationKey(publicKey, "the declaration's signature", example);
  const message = { editionId: doc.editionId, editionNumber: doc.editionNumber, hash };
  if (!signatureValid(key.publicKeyPem, doc.signature, message))
    refuse(`the signature does not verify with ${key.source} (another key, or another edition)`);
  process.stdout.write(
    `ok: the declaration of edition ${doc.editionNumber} (${doc.editionId}), ${doc.paragraphs.length} paragraphs, sha256 ${hash}, signed by ${key.source}\n`,
  );
  process.exit(0);
}
