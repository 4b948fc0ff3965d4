// Differential tests: our FairPlay helpers against Shaka Player's own
// (`shaka.drm.FairPlay` and its string helpers), in the same page, over generated
// skd URIs, initData encodings, content ids, certificates and CKC wrappings. Run
// against the sources and against the built drop-in (dist/umd), which pages load.
// Where the two differ on purpose, the case is listed in INTENDED_DIFFERENCES with
// its reason, and both sides of the difference are asserted.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  bytesToHex,
  IMPLEMENTATIONS,
  NUM_RUNS,
  useDifferentialPeers,
  utf16le,
  utf8,
  withLength,
  type Implementation,
  type Shaka,
} from './peers.js';

const LICENSE = 2; // shaka.net.NetworkingEngine.RequestType.LICENSE

/* ------------------------------------------------------------------ inputs */

const chars = (s: string) => fc.constantFrom(...[...s]);
// Host characters URL parsing accepts in an opaque host, a few it percent-encodes, and none it refuses.
const hostChar = fc.oneof(
  { weight: 8, arbitrary: chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~') },
  { weight: 1, arbitrary: chars("!$&'()*+,;=%") },
  { weight: 1, arbitrary: chars('\u00e9\u00fc\u4e2d\u{1F600}') },
);
const host = fc.string({ unit: hostChar, minLength: 1, maxLength: 16 });
// Ports: numbers URL parsing takes (≤ 65535) and refuses (> 65535), empty, and not a number (`skd://uuid:token`).
const port = fc.option(
  fc.oneof(fc.integer({ min: 0, max: 99999 }).map(String), fc.constant(''), fc.stringMatching(/^[a-z]{1,6}$/)),
  { nil: undefined },
);
const userInfo = fc.option(fc.stringMatching(/^[a-z0-9]{0,6}(:[a-z0-9]{0,6})?$/), { nil: undefined });
// No ':' after the authority: a second "skd://" would be a listed difference, not a generated one.
const tail = fc.option(
  fc.tuple(chars('/?#'), fc.stringMatching(/^[A-Za-z0-9/._~=&?%-]{0,30}$/)).map(([a, b]) => a + b),
  { nil: undefined },
);
const genericSkd = fc
  .tuple(userInfo, host, port, tail)
  .map(([u, h, p, t]) => `skd://${u === undefined ? '' : `${u}@`}${h}${p === undefined ? '' : `:${p}`}${t ?? ''}`);
// ExpressPlay's own playlists: the rights URL, token included, in the skd URI.
const expressPlaySkd = fc
  .stringMatching(/^[A-Za-z0-9_-]{8,60}$/)
  .map((token) => `skd://fp.service.expressplay.com:80/hms/fp/rights/?ExpressPlayToken=${token}`);
const skdUri = fc.oneof({ weight: 4, arbitrary: genericSkd }, { weight: 1, arbitrary: expressPlaySkd });

/** The encodings `skd` initData reaches a page in: `encrypted` (UTF-8) and `webkitneedkey` (length + UTF-16LE), and the two others seen. */
const ENCODINGS: Record<string, (skd: string) => Uint8Array> = {
  'UTF-8': utf8,
  'UTF-16LE': utf16le,
  'u32 length + UTF-8': (s) => withLength(utf8(s)),
  'u32 length + UTF-16LE (webkitneedkey)': (s) => withLength(utf16le(s)),
};
const encoding = fc.constantFrom(...Object.keys(ENCODINGS));
const contentId = fc.string({ unit: 'binary', maxLength: 24 });
const certificate = fc.uint8Array({ minLength: 1, maxLength: 64 });

/* ------------------------------------------------- Shaka's side, as called by Shaka */

function shakaCommonResponse(shaka: Shaka, body: Uint8Array): Uint8Array {
  const response = {
    uri: '',
    originalUri: '',
    data: body.slice().buffer,
    headers: {},
    originalRequest: { drmInfo: { keySystem: 'com.apple.fps' } },
  };
  // Shaka reports every binary body it tries as UTF-8 ("unknown character") through console.error
  // (shaka.log.alwaysError): hundreds of lines that would bury the run's real output.
  const { warn, error } = console;
  console.warn = () => undefined;
  console.error = () => undefined;
  try {
    shaka.drm.FairPlay.commonFairPlayResponse(LICENSE as never, response as never);
  } finally {
    console.warn = warn;
    console.error = error;
  }
  return new Uint8Array(response.data);
}

function base64(bytes: Uint8Array, alphabet: 'std' | 'url', padded: boolean): string {
  let s = btoa(String.fromCharCode(...bytes));
  if (alphabet === 'url') s = s.replace(/\+/g, '-').replace(/\//g, '_');
  return padded ? s : s.replace(/=+$/, '');
}

/** Every wrapping of a base64 CKC a rights server is known to send that Shaka unwraps. */
const WRAPPINGS: Record<string, (b64: string) => string> = {
  '<ckc>': (b) => `<ckc>${b}</ckc>`,
  "<ckc> with line breaks (Apple's sample server)": (b) => `\n<ckc>${b.replace(/(.{16})/g, '$1\n')}</ckc>\n`,
  'JSON ckc': (b) => JSON.stringify({ ckc: b }),
  'JSON CkcMessage': (b) => JSON.stringify({ CkcMessage: b }),
  'JSON License': (b) => JSON.stringify({ License: b, status: 'OK' }),
  'JSON with a non-ASCII field': (b) => JSON.stringify({ message: 'Lizenz erteilt \u2713', ckc: b }),
  'JSON with ckc and License (Shaka: License wins)': (b) => JSON.stringify({ ckc: 'AAAA', License: b }),
};

/**
 * Inputs where we differ from Shaka on purpose; each is asserted on both sides, so a
 * change on either side shows up here.
 */
const INTENDED_DIFFERENCES: ReadonlyArray<{
  name: string;
  reason: string;
  check(lib: Implementation, shaka: Shaka): void;
}> = [
  {
    name: 'bare base64 CKC text',
    reason:
      "Apple's documentation allows a rights server to answer the base64 CKC without <ckc>; Shaka passes the text on to the CDM, which cannot use it. We decode it.",
    check(lib, shaka) {
      const body = utf8('AAECAwQ=');
      expect(bytesToHex(shakaCommonResponse(shaka, body))).to.equal(bytesToHex(body));
      expect([...lib.unwrapCkc(body)]).to.deep.equal([0, 1, 2, 3, 4]);
    },
  },
  {
    name: 'JSON with no CKC field (or an empty one), and an empty <ckc>',
    reason:
      'Shaka passes the text on to the CDM (or fails in its base64 decoder); we throw -9041, the typed error an app can act on.',
    check(lib, shaka) {
      for (const text of ['{"error":"no rights"}', '{"ckc":""}']) {
        expect(bytesToHex(shakaCommonResponse(shaka, utf8(text)))).to.equal(bytesToHex(utf8(text)));
        expect(() => lib.unwrapCkc(utf8(text)))
          .to.throw()
          .with.property('code', -9041);
      }
      expect(() => lib.unwrapCkc(utf8('<ckc></ckc>')))
        .to.throw()
        .with.property('code', -9041);
    },
  },
  {
    name: '<CKC> in upper case',
    reason:
      'Shaka matches "<ckc>" case-sensitively and passes "<CKC>…" on to the CDM; XML-ish tags from servers vary in case, so we accept both.',
    check(lib, shaka) {
      const body = utf8('<CKC>AAEC</CKC>');
      expect(bytesToHex(shakaCommonResponse(shaka, body))).to.equal(bytesToHex(body));
      expect([...lib.unwrapCkc(body)]).to.deep.equal([0, 1, 2]);
    },
  },
  {
    name: 'an skd URI holding "skd://" twice (expressplayInitDataTransform)',
    reason:
      "Shaka's preset takes what follows the LAST \"skd://\" as the content id; 'whole' takes everything after the scheme, which is the URI ExpressPlay's playlists carry.",
    check(lib, shaka) {
      const skd = 'skd://a/skd://b';
      const cert = Uint8Array.of(1);
      const theirs = shaka.drm.FairPlay.expressplayInitDataTransform(utf8(skd), 'skd', {
        serverCertificate: cert,
      } as never);
      expect(bytesToHex(theirs)).to.equal(bytesToHex(lib.legacyFairPlayInitData(skd, 'b', cert)));
      expect(lib.contentIdFromSkd(skd, 'whole')).to.equal('a/skd://b');
    },
  },
  {
    name: 'an upper-case SKD:// scheme (expressplayInitDataTransform)',
    reason:
      'URI schemes are case-insensitive (RFC 3986); Shaka\'s preset splits on the lower-case "skd://" only and so takes the whole URI as the content id.',
    check(lib, shaka) {
      const cert = Uint8Array.of(1);
      const theirs = shaka.drm.FairPlay.expressplayInitDataTransform(utf8('SKD://asset'), 'skd', {
        serverCertificate: cert,
      } as never);
      expect(bytesToHex(theirs)).to.equal(bytesToHex(lib.legacyFairPlayInitData('SKD://asset', 'SKD://asset', cert)));
      expect(lib.contentIdFromSkd('SKD://asset', 'whole')).to.equal('asset');
    },
  },
  {
    name: "'host' of an IPv6 literal",
    reason:
      'URL parsing rewrites an IPv6 address in its canonical form ([0:0::1] → [::1]); we keep the literal as written (no skd URI in the wild carries one).',
    check(lib, shaka) {
      expect(shaka.drm.FairPlay.defaultGetContentId(utf8('skd://[0:0::1]:80/x'))).to.equal('[::1]');
      expect(lib.contentIdFromSkd('skd://[0:0::1]:80/x', 'host')).to.equal('[0:0::1]');
    },
  },
  {
    name: 'skd initData with surrounding whitespace or trailing NULs',
    reason:
      'Shaka copies the text as it is into the legacy initData; we trim it (as skdFromInitData does), so the CDM reads the URI the playlist names.',
    check(lib, shaka) {
      const cert = Uint8Array.of(1);
      const theirs = shaka.drm.FairPlay.initDataTransform(utf8(' skd://a\0'), 'a', cert);
      expect(bytesToHex(theirs.subarray(0, 4 + 18)), 'Shaka keeps the space and the NUL').to.equal(
        bytesToHex(withLength(utf16le(' skd://a\0'))),
      );
      expect(bytesToHex(lib.legacyFairPlayInitData(utf8(' skd://a\0'), 'a', cert))).to.equal(
        bytesToHex(shaka.drm.FairPlay.initDataTransform(utf8('skd://a'), 'a', cert)),
      );
    },
  },
];

/* ------------------------------------------------------------------- tests */

describe('differential: FairPlay helpers vs Shaka Player (peers.shaka().drm.FairPlay)', function () {
  this.timeout(60000);
  const peers = useDifferentialPeers();

  for (const which of IMPLEMENTATIONS) {
    describe(which, () => {
      const lib = () => peers.implementation(which);

      it("legacy initData: every initData encoding gives the bytes of Shaka's initDataTransform", () => {
        fc.assert(
          fc.property(skdUri, encoding, contentId, certificate, (skd, enc, id, cert) => {
            const theirs = peers.shaka().drm.FairPlay.initDataTransform(utf8(skd), id, cert);
            const ours = lib().legacyFairPlayInitData(ENCODINGS[enc]!(skd), id, cert);
            expect(bytesToHex(ours), `${enc} ${JSON.stringify(skd)}`).to.equal(bytesToHex(theirs));
          }),
          { numRuns: NUM_RUNS },
        );
      });

      it("legacy initData with the 'whole' content id = Shaka's expressplayInitDataTransform", () => {
        fc.assert(
          fc.property(skdUri, encoding, certificate, (skd, enc, cert) => {
            const theirs = peers
              .shaka()
              .drm.FairPlay.expressplayInitDataTransform(utf8(skd), 'skd', { serverCertificate: cert } as never);
            const initData = ENCODINGS[enc]!(skd);
            const ours = lib().legacyFairPlayInitData(
              initData,
              lib().contentIdFromSkd(lib().skdFromInitData(initData), 'whole'),
              cert,
            );
            expect(bytesToHex(ours), JSON.stringify(skd)).to.equal(bytesToHex(theirs));
          }),
          { numRuns: NUM_RUNS },
        );
      });

      it("contentIdFromSkd 'host' = Shaka's defaultGetContentId (Apple's sample: the URL's host name)", () => {
        fc.assert(
          fc.property(skdUri, fc.constantFrom('UTF-8', 'UTF-16LE'), (skd, enc) => {
            const theirs = peers.shaka().drm.FairPlay.defaultGetContentId(ENCODINGS[enc]!(skd));
            expect(lib().contentIdFromSkd(skd, 'host'), JSON.stringify(skd)).to.equal(theirs);
          }),
          { numRuns: NUM_RUNS },
        );
      });

      it("skdFromInitData reads the URI Shaka's string helpers read (fromBytesAutoDetect; the Apple polyfill's fromUTF16 after the length)", () => {
        const strings = peers.shaka().util.StringUtils;
        fc.assert(
          fc.property(skdUri, (skd) => {
            expect(lib().skdFromInitData(utf8(skd))).to.equal(strings.fromBytesAutoDetect(utf8(skd)));
            expect(lib().skdFromInitData(utf16le(skd))).to.equal(strings.fromBytesAutoDetect(utf16le(skd)));
            const legacy = withLength(utf16le(skd));
            expect(lib().skdFromInitData(legacy)).to.equal(strings.fromUTF16(legacy.subarray(4), true));
          }),
          { numRuns: NUM_RUNS },
        );
      });

      it("unwrapCkc = Shaka's commonFairPlayResponse for every wrapping Shaka unwraps (base64 and base64url, padded or not)", () => {
        fc.assert(
          fc.property(
            fc.uint8Array({ minLength: 1, maxLength: 120 }),
            fc.constantFrom(...Object.keys(WRAPPINGS)),
            fc.constantFrom('std', 'url'),
            fc.boolean(),
            (ckc, wrapping, alphabet, padded) => {
              const body = utf8(WRAPPINGS[wrapping]!(base64(ckc, alphabet as 'std' | 'url', padded)));
              const theirs = shakaCommonResponse(peers.shaka(), body);
              expect(bytesToHex(theirs), 'Shaka unwrapped it').to.equal(bytesToHex(ckc));
              expect(bytesToHex(lib().unwrapCkc(body)), wrapping).to.equal(bytesToHex(theirs));
            },
          ),
          { numRuns: NUM_RUNS },
        );
      });

      it('unwrapCkc = commonFairPlayResponse for binary CKCs: passed through untouched', () => {
        fc.assert(
          fc.property(
            fc
              .uint8Array({ minLength: 1, maxLength: 120 })
              .filter((b) => b.some((x) => x < 0x20 && x !== 9 && x !== 10 && x !== 13)),
            (ckc) => {
              expect(bytesToHex(lib().unwrapCkc(ckc))).to.equal(bytesToHex(shakaCommonResponse(peers.shaka(), ckc)));
            },
          ),
          { numRuns: NUM_RUNS },
        );
      });

      for (const d of INTENDED_DIFFERENCES) {
        it(`intended difference: ${d.name}`, () => {
          expect(d.reason.length).to.be.greaterThan(20);
          d.check(lib(), peers.shaka());
        });
      }
    });
  }
});
