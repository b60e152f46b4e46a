import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isPostgresUrl } from '../eventStore/postgres/url';

export interface SigningKey {
  privateKey: KeyObject;
  /** SPKI PEM, what `GET /audit/public-key` serves and offline verification takes. */
  publicKeyPem: string;
  /** Where the key lives, or null for an ephemeral key (`:memory:` databases). */
  file: string | null;
}

/** The key file next to a database file, unless SIGNING_KEY_FILE names one. */
export function signingKeyFile(databaseUrl: string, configured: string | undefined): string | null {
  if (configured) return path.resolve(configured);
  // PostgreSQL: no folder to be next to; the server asks for SIGNING_KEY_FILE (every instance signs alike).
  if (databaseUrl === ':memory:' || isPostgresUrl(databaseUrl)) return null;
  return path.join(path.dirname(path.resolve(databaseUrl)), 'signing-key.pem');
}

/**
 * Loads the server's Ed25519 key, generating it on first use (file mode 0600). A key kept apart from the
 * database is what makes a checkpoint worth something: whoever rewrites the table cannot re-sign it.
 */
export function loadSigningKey(file: string | null): SigningKey {
  if (file !== null && existsSync(file)) {
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
    return { privateKey, publicKeyPem: publicPem(privateKey), file };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  if (file !== null) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process (the server and a CLI starting together) wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSigningKey(file);
      throw error;
    }
  }
  return { privateKey, publicKeyPem: publicPem(privateKey), file };
}

function publicPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}
