// Differential tests: our key-id extraction from EME initData against Shaka Player's
// PSSH parsing (shaka.util.Pssh of Shaka 4.3, the last whose parser reads key ids; see
// peers.ts) and Shaka 5.2's ClearKey 'keyids' encoding, over generated pssh boxes
// (built by Shaka's own createPssh) and key id lists. Sources and built drop-in.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  bytesToHex,
  IMPLEMENTATIONS,
  loadShaka43Pssh,
  NUM_RUNS,
  useDifferentialPeers,
  type ShakaPsshSources,
} from './peers.js';

const WIDEVINE = 'edef8ba979d64acea3c827dcd51d21ed';
const SYSTEMS = [
  WIDEVINE,
  '9a04f07998404286ab92e65be0885f95' /* PlayReady */,
  '1077efecc0b24d02ace33c1e52e2fb4b' /* W3C common */,
  '94ce86fb07ff4f43adb893d2fa968ca2' /* FairPlay */,
];

const hexToBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const kid = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(bytesToHex);
const systemId = fc.oneof(fc.constantFrom(...SYSTEMS), fc.uint8Array({ minLength: 16, maxLength: 16 }).map(bytesToHex));

/** Widevine pssh data (a protobuf): key_id fields (2) among an algorithm (1), a provider (3) and a content_id (4). */
function widevineData(kids: string[], contentId: Uint8Array): Uint8Array {
  const out: number[] = [0x08, 0x01];
  for (const k of kids) out.push(0x12, 0x10, ...hexToBytes(k));
  out.push(0x1a, 0x08, ...new TextEncoder().encode('widevine'));
  out.push(0x22, contentId.length, ...contentId);
  return Uint8Array.from(out);
}

interface Box {
  version: 0 | 1;
  system: string;
  /** Key ids in the v1 KID list (what Shaka reads). */
  listed: string[];
  /** Key ids in Widevine pssh data (what only we read). */
  inData: string[];
  bytes: Uint8Array;
}

function boxArbitrary(shakaPssh: ShakaPsshSources) {
  return fc
    .record({
      version: fc.constantFrom(0 as const, 1 as const),
      system: systemId,
      listed: fc.array(kid, { maxLength: 4 }),
      inData: fc.array(kid, { maxLength: 3 }),
      contentId: fc.uint8Array({ maxLength: 20 }),
      other: fc.uint8Array({ maxLength: 24 }),
    })
    .map((r): Box => {
      const isWidevine = r.system === WIDEVINE;
      const data = isWidevine ? widevineData(r.inData, r.contentId) : r.other;
      const listed = r.version === 1 ? [...new Set(r.listed)] : [];
      return {
        version: r.version,
        system: r.system,
        listed,
        inData: isWidevine ? r.inData : [],
        bytes: shakaPssh.Pssh.createPssh(data, hexToBytes(r.system), new Set(listed), r.version),
      };
    });
}

const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

const sorted = (list: Iterable<string>) => [...new Set(list)].sort();

describe('differential: key ids from initData vs Shaka Player (peers.shaka().util.Pssh, ClearKey keyids)', function () {
  this.timeout(60000);
  let shakaPssh: ShakaPsshSources;
  const peers = useDifferentialPeers();

  before(async () => {
    shakaPssh = await loadShaka43Pssh();
  });

  for (const which of IMPLEMENTATIONS) {
    describe(which, () => {
      const lib = () => peers.implementation(which);

      it("'cenc' initData (concatenated pssh boxes built by Shaka's createPssh): the key ids Shaka's parser reads, plus Widevine data's key_id fields", () => {
        fc.assert(
          fc.property(fc.array(boxArbitrary(shakaPssh), { minLength: 1, maxLength: 4 }), (boxes) => {
            const initData = concat(boxes.map((b) => b.bytes));
            const parsed = new shakaPssh.Pssh(initData);
            expect(parsed.systemIds, 'Shaka read every box').to.deep.equal(boxes.map((b) => b.system));
            expect(sorted(parsed.cencKeyIds), 'Shaka read the KID lists').to.deep.equal(
              sorted(boxes.flatMap((b) => b.listed)),
            );
            const ours = lib().keyIdsFromInitData('cenc', initData);
            // Intended difference: Shaka does not read Widevine pssh data (a protobuf); we also take its key_id fields.
            expect(sorted(ours)).to.deep.equal(sorted([...parsed.cencKeyIds, ...boxes.flatMap((b) => b.inData)]));
            expect(ours.length, 'no duplicates').to.equal(new Set(ours).size);
          }),
          { numRuns: NUM_RUNS },
        );
      });

      it("'cenc' initData without Widevine boxes: exactly Shaka's cencKeyIds, in Shaka's order", () => {
        fc.assert(
          fc.property(
            fc.array(
              boxArbitrary(shakaPssh).filter((b) => b.system !== WIDEVINE),
              { minLength: 1, maxLength: 4 },
            ),
            (boxes) => {
              const initData = concat(boxes.map((b) => b.bytes));
              expect(lib().keyIdsFromInitData('cenc', initData)).to.deep.equal([
                ...new Set(new shakaPssh.Pssh(initData).cencKeyIds),
              ]);
            },
          ),
          { numRuns: NUM_RUNS },
        );
      });

      it("truncated or corrupted pssh data: never throws; where Shaka's parser reads the boxes, the same key ids (non-Widevine)", () => {
        fc.assert(
          fc.property(
            fc.array(
              boxArbitrary(shakaPssh).filter((b) => b.system !== WIDEVINE),
              { minLength: 1, maxLength: 3 },
            ),
            fc.nat(),
            fc.nat(255),
            fc.boolean(),
            (boxes, at, value, truncate) => {
              const whole = concat(boxes.map((b) => b.bytes));
              const i = at % whole.length;
              const initData = truncate ? whole.subarray(0, i) : whole.map((b, j) => (j === i ? value : b));
              const ours = lib().keyIdsFromInitData('cenc', initData);
              expect(ours).to.be.an('array');
              let theirs: string[] | undefined;
              try {
                theirs = new shakaPssh.Pssh(initData).cencKeyIds;
              } catch {
                // Intended difference: Shaka's parser throws (OUT_OF_BOUNDS) on a box that overruns the
                // data; initData comes from the media, and we read what is readable instead of failing.
                return;
              }
              // Where Shaka read boxes up to a corrupted size field, we may have stopped earlier (never read past a box's end).
              for (const k of ours) expect(theirs, 'every key id we report, Shaka reads too').to.include(k);
            },
          ),
          { numRuns: NUM_RUNS },
        );
      });

      it("intended difference: a pssh box inside 'moov' (Shaka's parser also reads init segments; 'cenc' initData is pssh boxes only, W3C cenc initData format)", () => {
        const pssh = shakaPssh.Pssh.createPssh(
          new Uint8Array(0),
          hexToBytes(SYSTEMS[2]!),
          new Set(['0123456789abcdef0123456789abcdef']),
          1,
        );
        const moov = concat([Uint8Array.of(0, 0, 0, 8 + pssh.length), new TextEncoder().encode('moov'), pssh]);
        expect(new shakaPssh.Pssh(moov).cencKeyIds).to.deep.equal(['0123456789abcdef0123456789abcdef']);
        expect(lib().keyIdsFromInitData('cenc', moov)).to.deep.equal([]);
      });

      it("'keyids' initData as Shaka builds it for drm.clearKeys (base64url without padding): the same key ids", () => {
        fc.assert(
          fc.property(fc.array(kid, { minLength: 1, maxLength: 6 }), (kids) => {
            const b64url = kids.map((k) => peers.shaka().util.Uint8ArrayUtils.toBase64(hexToBytes(k), false));
            const initData = new TextEncoder().encode(JSON.stringify({ kids: b64url }));
            expect(lib().keyIdsFromInitData('keyids', initData)).to.deep.equal(kids);
          }),
          { numRuns: NUM_RUNS },
        );
      });
    });
  }
});
