// Tokens at rest: AES-256-GCM under CASCADE_SECRET_KEY (32 random bytes, as 64
// hex characters). A sealed value names the key it was sealed with by a short
// fingerprint, so a changed key is told apart from a corrupted value: the
// installations sealed with the old key need a new consent (needs_reauth).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretKeyChangedError extends Error {
  readonly code = 'CASCADE_SECRET_KEY_CHANGED';
  constructor() {
    super('sealed with another CASCADE_SECRET_KEY: the installation must be connected again');
  }
}

export class SealedValueError extends Error {
  readonly code = 'CASCADE_SEALED_VALUE_INVALID';
  constructor() {
    super('a sealed value is damaged and cannot be opened');
  }
}

export interface SecretBox {
  seal(plain: string): string;
  /** Throws SecretKeyChangedError or SealedValueError. */
  open(sealed: string): string;
}

/** The key as the environment gives it: 64 hex characters. */
export function secretBox(keyHex: string): SecretBox {
  if (!/^[0-9a-fA-F]{64}$/.test(keyHex)) throw new Error('CASCADE_SECRET_KEY must be 64 hex characters (32 random bytes: openssl rand -hex 32)');
  const key = Buffer.from(keyHex, 'hex');
  // Not the key, nor enough of a hash of it to help guess it: 8 hex characters tell keys apart.
  const keyId = createHash('sha256').update('cascade-key-id').update(key).digest('hex').slice(0, 8);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, id, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new SealedValueError();
      if (id !== keyId) throw new SecretKeyChangedError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SealedValueError();
      }
    },
  };
}
