// Shared test fixtures for the browser-layer tests.
import { expect } from 'chai';
import { ExpressPlayError } from '../../../src/core/index.js';

/** The typed error a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<ExpressPlayError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ExpressPlayError);
    return err as ExpressPlayError;
  }
  throw new Error('expected a rejection');
}

/** A DER-shaped blob: ASN.1 SEQUENCE with a long-form length, then filler. Not a real certificate. */
export function fakeDer(size = 600): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 255;
  b[0] = 0x30;
  b[1] = 0x82;
  b[2] = ((size - 4) >> 8) & 255;
  b[3] = (size - 4) & 255;
  return b;
}
