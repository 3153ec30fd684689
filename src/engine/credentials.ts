/** Credentials at rest: AES-256-GCM, the integration id bound as associated data, key ids for rotation. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.js';

export interface CredentialCipher {
  /** Encrypts a JSON-able value; `aad` binds the ciphertext to its row (e.g. `integration:<id>`). */
  encrypt(value: unknown, aad: string): string;
  /** Decrypts; throws AppError('internal') on a tampered value, a wrong row, or an unknown key id. */
  decrypt(ciphertext: string, aad: string): unknown;
}

interface Key {
  readonly id: string;
  readonly key: Buffer;
}

/** Parses `kid:base64[,kid:base64...]`; the first key encrypts, every key decrypts. */
export function parseKeys(spec: string): Key[] {
  const keys = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, material] = part.split(':');
      const key = Buffer.from(material ?? '', 'base64');
      if (!id || key.length !== 32) {
        throw new Error(`ROSTERSYNC_SECRET_KEYS: '${id ?? ''}' must be kid:<32 bytes in base64>`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw new Error('ROSTERSYNC_SECRET_KEYS is empty');
  return keys;
}

export function createCipher(keys: readonly Key[]): CredentialCipher {
  const current = keys[0];
  if (!current) throw new Error('at least one encryption key is required');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    encrypt(value, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', current.id, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(
        '.',
      );
    },
    decrypt(ciphertext, aad) {
      const [version, kid, iv, tag, body] = ciphertext.split('.');
      const key = kid === undefined ? undefined : byId.get(kid);
      if (version !== 'v1' || !key || !iv || !tag || body === undefined) {
        throw new AppError(
          'internal',
          'Stored credentials use an unknown key or format; reconnect the integration.',
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(aad));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString(
          'utf8',
        );
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new AppError(
          'internal',
          'Stored credentials could not be decrypted; reconnect the integration.',
          {
            cause,
          },
        );
      }
    },
  };
}

/**
 * Embedded mode without ROSTERSYNC_SECRET_KEYS: one key generated into `<dataDir>/secret.key` (mode 0600).
 * Back this file up with the database: without it the stored credentials cannot be read.
 */
export function loadOrCreateKeyFile(path: string): Key[] {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `k1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return parseKeys(readFileSync(path, 'utf8'));
}
