// Fuzzing the FairPlay and initData helpers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  bytesToHex,
  contentIdFromSkd,
  ExpressPlayError,
  keyIdsFromInitData,
  skdFromInitData,
  unwrapCkc,
} from '../../../src/core/index.js';
import { NUM_RUNS, wtf16String } from './arbitraries.js';

function expectOnly(code: number, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ExpressPlayError)) throw e;
    assert.equal(e.code, code);
  }
}

const notSpace = fc
  .integer({ min: 0x21, max: 0xfffd })
  .filter((n) => (n < 0xd800 || n > 0xdfff) && !/\s/.test(String.fromCharCode(n)))
  .map((n) => String.fromCharCode(n));
const skdUri = fc.string({ unit: notSpace, minLength: 1, maxLength: 60 }).map((s) => `skd://${s}`);
const u32le = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];

describe('fuzz: FairPlay helpers', () => {
  it('contentIdFromSkd: arbitrary strings and strategies → a non-empty id or -9042', () => {
    fc.assert(
      fc.property(
        fc.oneof(wtf16String(40), skdUri),
        fc.constantFrom('host', 'whole', 'bogus', (u: string) => u.slice(6, 12)),
        (s, strategy) => {
          expectOnly(-9042, () => {
            const id = contentIdFromSkd(s, strategy as 'host');
            assert.equal(typeof id, 'string');
            assert.ok(id.length > 0);
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
  it('contentIdFromSkd whole: skd://X → X', () => {
    fc.assert(
      fc.property(skdUri, (s) => assert.equal(contentIdFromSkd(s, 'whole'), s.slice(6))),
      { numRuns: NUM_RUNS },
    );
  });
  it('skdFromInitData: arbitrary bytes → an skd URI or -9042', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expectOnly(-9042, () => assert.match(skdFromInitData(b), /^skd:\/\/\S+$/i));
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('skdFromInitData: UTF-8 / UTF-16LE, with or without the length prefix, round-trip', () => {
    fc.assert(
      fc.property(skdUri, fc.constantFrom('utf8', 'utf16le'), fc.boolean(), (uri, enc, prefix) => {
        const text = [...Buffer.from(uri, enc)];
        const bytes = Uint8Array.from(prefix ? [...u32le(text.length), ...text] : text);
        assert.equal(skdFromInitData(bytes), uri);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('unwrapCkc: arbitrary bytes and strings → bytes or -9041', () => {
    const printable = fc.uint8Array({ maxLength: 48 }).map((b) => b.map((x) => 0x20 + (x % 0x5f)));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 48 }),
          printable,
          wtf16String(48),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''),
        ),
        (input) => {
          expectOnly(-9041, () => assert.ok(unwrapCkc(input) instanceof Uint8Array));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
  it('unwrapCkc: base64 of random bytes round-trips, bare, in <ckc> and in JSON', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom('bare', 'tag', 'json', 'bytes'),
        (ckc, form) => {
          const b64 = Buffer.from(ckc).toString('base64');
          const input =
            form === 'bare'
              ? b64
              : form === 'tag'
                ? `<ckc>${b64}</ckc>`
                : form === 'json'
                  ? JSON.stringify({ CkcMessage: b64 })
                  : new Uint8Array(Buffer.from(`${b64}\r\n`));
          assert.equal(bytesToHex(unwrapCkc(input)), bytesToHex(ckc));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
  it('unwrapCkc: binary CKCs come back as they are', () => {
    fc.assert(
      fc.property(
        fc
          .uint8Array({ minLength: 1, maxLength: 64 })
          .filter((b) => b.some((x) => x < 0x20 && x !== 9 && x !== 10 && x !== 13)),
        (ckc) => {
          assert.equal(unwrapCkc(ckc), ckc);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

const be32 = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const psshV1 = fc
  .tuple(
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { maxLength: 4 }),
    fc.uint8Array({ maxLength: 16 }),
  )
  .map(([system, kids, data]) => {
    const body = [
      1,
      0,
      0,
      0,
      ...system,
      ...be32(kids.length),
      ...kids.flatMap((k) => [...k]),
      ...be32(data.length),
      ...data,
    ];
    return {
      bytes: Uint8Array.from([...be32(8 + body.length), 0x70, 0x73, 0x73, 0x68, ...body]),
      kids: kids.map(bytesToHex),
      system: bytesToHex(system),
    };
  });

describe('fuzz: keyIdsFromInitData', () => {
  it('arbitrary types and bytes: an array of 32-hex key ids, never an exception', () => {
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 96 }),
      psshV1.map((p) => p.bytes),
      psshV1.chain((p) => fc.nat(p.bytes.length).map((n) => p.bytes.slice(0, n))),
      fc.jsonValue({ maxDepth: 2 }).map((v) => new Uint8Array(Buffer.from(JSON.stringify(v) ?? ''))),
      fc
        .array(
          fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b).toString('base64')),
          { maxLength: 3 },
        )
        .map((sinf) => new Uint8Array(Buffer.from(JSON.stringify({ sinf })))),
    );
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom('cenc', 'keyids', 'sinf'), fc.string()), data, (type, bytes) => {
        const ids = keyIdsFromInitData(type, bytes);
        assert.ok(Array.isArray(ids));
        if (type !== 'keyids') for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('pssh v1 boxes name exactly their KIDs (non-Widevine systems)', () => {
    fc.assert(
      fc.property(
        psshV1.filter((p) => p.system !== 'edef8ba979d64acea3c827dcd51d21ed'),
        (p) => {
          assert.deepEqual(keyIdsFromInitData('cenc', p.bytes), [...new Set(p.kids)]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
