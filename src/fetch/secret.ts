// Does a text carry the customerAuthenticator in any form a browser could
// decode: raw, percent-encoded (either hex case), HTML character references
// (decimal, hex, the named five) or JSON \u escapes, and layers of these.
// Every pass is one linear scan with non-backtracking patterns.

const PERCENT = /%([0-9a-fA-F]{2})/g;
const DECIMAL_REF = /&#([0-9]{1,7});?/g;
const HEX_REF = /&#[xX]([0-9a-fA-F]{1,6});?/g;
const NAMED_REF = /&(amp|lt|gt|quot|apos);/g;
const JSON_ESCAPE = /\\u([0-9a-fA-F]{4})|\\([/\\"])/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function codePoint(n: number): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : '';
}

const DECODERS: readonly ((text: string) => string)[] = [
  // Percent-escapes decode to bytes: compared as one character per byte (see needles()).
  (t) => t.replace(PERCENT, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
  (t) =>
    t
      .replace(DECIMAL_REF, (_m, d: string) => codePoint(Number(d)))
      .replace(HEX_REF, (_m, h: string) => codePoint(parseInt(h, 16)))
      .replace(NAMED_REF, (_m, n: string) => NAMED[n] ?? ''),
  (t) =>
    t.replace(JSON_ESCAPE, (_m, u: string | undefined, c: string | undefined) =>
      u === undefined ? (c ?? '') : String.fromCharCode(parseInt(u, 16)),
    ),
];

/** How many rounds of all decoders: an encoding of an encoding of an encoding is still found. */
const ROUNDS = 3;

/** The secret as text, and as its UTF-8 bytes one character each (what percent-decoding above yields). */
function needles(secret: string): string[] {
  const bytes = String.fromCharCode(...new TextEncoder().encode(secret));
  return bytes === secret ? [secret] : [secret, bytes];
}

/** True when `text` contains `secret` raw or in any of the encodings above (case-sensitive, as the secret is). */
export function containsSecret(text: string, secret: string): boolean {
  if (secret === '') return false;
  const wanted = needles(secret);
  const found = (t: string) => wanted.some((n) => t.includes(n));
  let current = text;
  if (found(current)) return true;
  for (let round = 0; round < ROUNDS; round++) {
    const before = current;
    for (const decode of DECODERS) {
      current = decode(current);
      if (found(current)) return true;
    }
    if (current === before) return false;
  }
  return false;
}
