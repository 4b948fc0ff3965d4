// The emulator's stand-in CKC. A real CKC needs Apple's FairPlay credentials, which
// an emulator cannot have; this one carries the same facts (key, iv, rental duration)
// in a documented layout, bound to the SPC it answers, so EME test doubles and tests
// can check the whole FairPlay round trip. Layout (52 bytes, big-endian):
//
//   0  4  magic 'EPCK'
//   4  1  version (1)
//   5  3  reserved, zero
//   8 16  iv
//  24 16  content key XOR SHA-256(spc)[0..16]
//  40  4  rentalDuration seconds (0 = none)
//  44  8  binding: SHA-256('EPCK' || spc || key || iv)[0..8]
//
// The mask and the binding make a CKC useless with any other SPC, as a real one is.

import { createHash } from 'node:crypto';
import { ClientCode, ExpressPlayError } from '../../core/index.js';

const MAGIC = Buffer.from('EPCK', 'ascii');
const VERSION = 1;
export const STAND_IN_CKC_LENGTH = 52;

/** What a stand-in CKC carries (see {@link makeStandInCkc} for the layout). */
export interface StandInCkc {
  /** The 16-byte content key. */
  key: Uint8Array;
  /** The 16-byte content IV. */
  iv: Uint8Array;
  /** Rental duration, seconds (0 = none). */
  rentalDuration: number;
}

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * The emulator's stand-in for a FairPlay CKC (a real one needs Apple's FairPlay
 * credentials): 52 bytes, big-endian — magic `EPCK`, version 1, 3 zero bytes,
 * iv (16), content key XOR SHA-256(spc)[0..16], rentalDuration (u32), and a
 * binding SHA-256('EPCK' ‖ spc ‖ key ‖ iv)[0..8]. The mask and binding make it
 * useless with any other SPC, as a real CKC is. Read it with {@link decodeStandInCkc}.
 *
 * @throws RangeError when `key` or `iv` is not 16 bytes.
 */
export function makeStandInCkc(spc: Uint8Array, key: Uint8Array, iv: Uint8Array, rentalDuration = 0): Buffer {
  if (key.length !== 16 || iv.length !== 16) throw new RangeError('key and iv are 16 bytes');
  const out = Buffer.alloc(STAND_IN_CKC_LENGTH);
  MAGIC.copy(out, 0);
  out[4] = VERSION;
  Buffer.from(iv).copy(out, 8);
  const mask = sha256(spc);
  for (let i = 0; i < 16; i++) out[24 + i] = key[i]! ^ mask[i]!;
  out.writeUInt32BE(Math.min(rentalDuration, 0xffffffff), 40);
  sha256(MAGIC, spc, key, iv).copy(out, 44, 0, 8);
  return out;
}

function invalid(details: string): never {
  throw new ExpressPlayError(ClientCode.CKC_INVALID, { details, drm: 'fairplay' });
}

/**
 * Reads a stand-in CKC made for `spc`: the key, iv and rental duration. Throws
 * ExpressPlayError -9041 for anything else (wrong magic/version/length, other SPC).
 */
export function decodeStandInCkc(ckc: ArrayBuffer | ArrayBufferView, spc: ArrayBuffer | ArrayBufferView): StandInCkc {
  const c = ArrayBuffer.isView(ckc) ? Buffer.from(ckc.buffer, ckc.byteOffset, ckc.byteLength) : Buffer.from(ckc);
  const s = ArrayBuffer.isView(spc) ? new Uint8Array(spc.buffer, spc.byteOffset, spc.byteLength) : new Uint8Array(spc);
  if (c.length !== STAND_IN_CKC_LENGTH) invalid(`stand-in CKC is ${STAND_IN_CKC_LENGTH} bytes, got ${c.length}`);
  if (!c.subarray(0, 4).equals(MAGIC)) invalid('not a stand-in CKC (magic)');
  if (c[4] !== VERSION) invalid(`unknown stand-in CKC version ${c[4]}`);
  const iv = new Uint8Array(c.subarray(8, 24));
  const mask = sha256(s);
  const key = new Uint8Array(16);
  for (let i = 0; i < 16; i++) key[i] = c[24 + i]! ^ mask[i]!;
  if (!sha256(MAGIC, s, key, iv).subarray(0, 8).equals(c.subarray(44, 52))) invalid('CKC was not made for this SPC');
  return { key, iv, rentalDuration: c.readUInt32BE(40) };
}
