// AES Key Wrap (RFC 3394) with the default IV, for `kek` + `ek` token parameters.
// node:crypto's 'id-aes128-wrap' is exactly RFC 3394 §2.2 (verified against §4.1's vector in the tests).

import { createCipheriv, createDecipheriv } from 'node:crypto';

const DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

function cipherName(kek: Uint8Array): string {
  if (kek.length === 16) return 'id-aes128-wrap';
  if (kek.length === 24) return 'id-aes192-wrap';
  if (kek.length === 32) return 'id-aes256-wrap';
  throw new RangeError('a KEK is 16, 24 or 32 bytes');
}

/**
 * AES Key Wrap (RFC 3394, default IV): wraps `key` with `kek` (16, 24 or 32
 * bytes), as the `ek` token parameter expects (a 16-byte key gives 24 bytes).
 *
 * @throws RangeError for a KEK of another length.
 */
export function aesKeyWrap(kek: Uint8Array, key: Uint8Array): Buffer {
  const c = createCipheriv(cipherName(kek), kek, DEFAULT_IV);
  return Buffer.concat([c.update(key), c.final()]);
}

/** Unwraps, or returns undefined when the integrity check fails (wrong kek or damaged ek). */
export function aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer | undefined {
  try {
    const d = createDecipheriv(cipherName(kek), kek, DEFAULT_IV);
    return Buffer.concat([d.update(wrapped), d.final()]);
  } catch {
    return undefined;
  }
}
