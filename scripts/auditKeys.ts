import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { signingKeyFile } from '../src/audit/signing';
import { loadConfig } from '../src/config';
import { fail, readInputFile } from './cli';

export interface VerificationKey {
  publicKeyPem: string;
  /** Where the key came from, as the ok line names it. */
  source: string;
}

/** The public key of a PEM file (an SPKI public key, or the server's private key it derives from). */
export function ed25519PublicKey(file: string): string {
  const pem = readInputFile('audit', file, 'the public key');
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === 'ed25519') return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    // Reported below, as for a key of another type.
  }
  fail(`audit: ${file} is not an Ed25519 key in PEM (what GET /audit/public-key serves)`);
}

/**
 * The key a signature is checked with: `given` (`--public-key`), else the server's own key file (next to
 * the database, or SIGNING_KEY_FILE) when it is at hand. Without one the check fails: a signature nobody
 * checked proves nothing. `what` names the signature, `example` the command to run with a key.
 */
export function verificationKey(given: string | undefined, what: string, example: string): VerificationKey {
  if (given !== undefined) return { publicKeyPem: ed25519PublicKey(given), source: `the public key ${given}` };
  const config = loadConfig();
  const serverKey = signingKeyFile(config.DATABASE_URL, config.SIGNING_KEY_FILE);
  if (serverKey !== null && existsSync(serverKey))
    return { publicKeyPem: ed25519PublicKey(serverKey), source: `the server's key ${serverKey}` };
  fail(
    [
      `audit: ${what} cannot be checked: no public key (no --public-key, and ${serverKey === null ? 'DATABASE_URL is :memory:, so no server key file' : `no server key at ${serverKey}`})`,
      "  get the server's public key with any token and pass it:",
      '    curl -H "Authorization: Bearer $TOKEN" https://<server>/audit/public-key > key.pem',
      `    ${example}`,
      "  on the server's machine, its signing-key.pem next to the database (or SIGNING_KEY_FILE) is used when found",
    ].join('\n'),
  );
}
