// Generators shared by the fuzz suites.
import fc from 'fast-check';
import { bytesToHex } from '../../../src/core/index.js';

export const NUM_RUNS = 10_000;
/** A fixed clock: 2026-01-15T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY_MS = 24 * 3600 * 1000;

/** Any UTF-16 code unit, lone surrogates included. */
export const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
/** Strings of arbitrary code units (lone surrogates included). */
export const wtf16String = (max = 40) => fc.string({ unit: anyCodeUnit, maxLength: max });
/** A BMP character that is not a surrogate (one code unit, well-formed). */
const bmpChar = fc
  .integer({ min: 0x20, max: 0xfffd })
  .filter((n) => n < 0xd800 || n > 0xdfff)
  .map((n) => String.fromCharCode(n));
/** Well-formed strings whose .length equals the number of generated characters. */
export const bmpString = (minLength: number, maxLength: number) => fc.string({ unit: bmpChar, minLength, maxLength });

/** Lower-, upper- or mixed-case hex of n random bytes. */
export const hexOf = (n: number) =>
  fc.tuple(fc.uint8Array({ minLength: n, maxLength: n }), fc.constantFrom('lower', 'upper', 'mixed')).map(([b, c]) => {
    const h = bytesToHex(b);
    if (c === 'lower') return h;
    if (c === 'upper') return h.toUpperCase();
    return [...h].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch)).join('');
  });

const base64OfBytes = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => Buffer.from(b).toString('base64'));
const extType = fc.string({ unit: bmpChar.filter((c) => c !== ','), minLength: 4, maxLength: 4 });
export const extension = fc.oneof(
  fc.tuple(extType, base64OfBytes).map(([t, p]) => `${t},${p}`),
  fc.record({ type: extType, payload: base64OfBytes }),
  fc.record({ type: extType, payload: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
);
const extensions = fc.oneof(extension, fc.array(extension, { maxLength: 4 }));

const kid = fc.oneof(
  hexOf(16),
  bmpString(1, 64).map((s) => `^${s}`),
);
const expirationTime = fc.oneof(
  fc.integer({ min: 1, max: 2_592_000 }).map((n) => `+${n}`),
  fc.integer({ min: 2000, max: 30 * DAY_MS }).map((ms) => new Date(NOW + ms)),
  fc.integer({ min: 2000, max: 30 * DAY_MS }).map((ms) => new Date(NOW + ms).toISOString()),
  fc
    .integer({ min: 2, max: 30 * 24 * 3600 })
    .map((s) => new Date(NOW + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
);
const common = {
  customerAuthenticator: bmpString(1, 40).filter((s) => s.trim() !== ''),
  errorFormat: fc.constantFrom('html', 'json'),
  generalFlags: fc.constantFrom('0000', '00000000'),
  expirationTime,
  cookie: bmpString(0, 32),
  extra: fc.dictionary(
    bmpString(0, 12).map((k) => `x-${k}`),
    fc.oneof(bmpString(0, 20), fc.integer()),
    { maxKeys: 3 },
  ),
};
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Where the content key comes from, per DRM family. */
const keySourceWvPr = fc.oneof(
  fc.record({ kid }),
  fc.record({ kid, contentKey: hexOf(16) }),
  fc.record({ kid, kek: hexOf(16), ek: hexOf(24) }),
);
const keySourceFp = fc.oneof(
  fc.record({ contentKey: hexOf(16) }),
  fc.record({ kid }),
  fc.record({ kid, contentKey: hexOf(16) }),
  fc.record({ kek: hexOf(16), ek: hexOf(24) }),
  fc.record({ kek: hexOf(16), kid }),
);

export const validWidevine = fc
  .tuple(
    keySourceWvPr,
    fc.record({
      customerAuthenticator: common.customerAuthenticator,
      securityLevel: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom('1', '2', '3', '4', '5')),
      hdcpOutputControl: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('0', '1', '2')),
      errorFormat: optional(common.errorFormat),
      generalFlags: optional(common.generalFlags),
      expirationTime: optional(common.expirationTime),
      cookie: optional(common.cookie),
      contentId: optional(bmpString(0, 40)),
      licenseDuration: optional(fc.nat()),
      wvExtension: optional(extensions),
      extra: optional(common.extra),
    }),
  )
  .map(([k, rest]) => strip({ ...rest, ...k }));

export const validFairPlay = fc
  .tuple(
    keySourceFp,
    fc.record({
      customerAuthenticator: common.customerAuthenticator,
      iv: hexOf(16),
      errorFormat: optional(common.errorFormat),
      generalFlags: optional(common.generalFlags),
      expirationTime: optional(common.expirationTime),
      cookie: optional(common.cookie),
      rentalDuration: optional(fc.nat()),
      rightsType: optional(fc.constantFrom('BuyToOwn', 'Rental')),
      fpExtension: optional(extensions),
      extra: optional(common.extra),
    }),
  )
  .map(([k, rest]) => {
    const p = strip({ ...rest, ...k });
    if (p['rightsType'] === 'Rental' && p['rentalDuration'] === undefined) p['rentalDuration'] = 0;
    return p;
  });

export const validPlayReady = fc
  .tuple(
    keySourceWvPr,
    fc.record({
      customerAuthenticator: common.customerAuthenticator,
      errorFormat: optional(common.errorFormat),
      generalFlags: optional(common.generalFlags),
      expirationTime: optional(common.expirationTime),
      cookie: optional(common.cookie),
      rightsType: optional(fc.constantFrom('BuyToOwn', 'Rental')),
      extra: optional(common.extra),
    }),
  )
  .map(([k, rest]) => strip({ ...rest, ...k }));

const PARAM_NAMES = [
  'customerAuthenticator',
  'errorFormat',
  'generalFlags',
  'kek',
  'kid',
  'ek',
  'contentKey',
  'contentId',
  'securityLevel',
  'hdcpOutputControl',
  'licenseDuration',
  'wvExtension',
  'fpExtension',
  'iv',
  'rentalDuration',
  'rightsType',
  'expirationTime',
  'cookie',
  'extra',
  'toString',
  '__proto__',
  'constructor',
];
/** Values of every type, and near-valid strings. */
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  wtf16String(),
  hexOf(16),
  hexOf(24),
  fc.constantFrom(
    '+60',
    '+0',
    '2026-02-31T00:00:00Z',
    '2026-01-20T12:00:00Z',
    'wudo,AAAAAA==',
    'json',
    'html',
    '0000',
    '^',
    'Rental',
    '',
    ' ',
  ),
  fc.integer({ min: -3, max: 8 }),
  fc.double(),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 8 }),
  fc.array(extension, { maxLength: 2 }),
  extension,
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
);
/** Arbitrary parameter objects, wrong types included. */
export const anyParams = fc.oneof(
  fc.anything({ maxDepth: 1 }),
  fc.dictionary(fc.constantFrom(...PARAM_NAMES), anyValue, { maxKeys: 10 }),
  fc.dictionary(fc.oneof(fc.constantFrom(...PARAM_NAMES), wtf16String(8)), anyValue, { maxKeys: 8 }),
  fc
    .tuple(
      fc.oneof(validWidevine, validFairPlay, validPlayReady),
      fc.dictionary(fc.constantFrom(...PARAM_NAMES), anyValue, { maxKeys: 2 }),
    )
    .map(([v, bad]) => ({ ...v, ...bad })),
);
export const anyDrm = fc.oneof(
  { arbitrary: fc.constantFrom('widevine', 'fairplay', 'playready'), weight: 8 },
  { arbitrary: fc.constantFrom('clearkey', 'toString', '__proto__', 'constructor'), weight: 1 },
  { arbitrary: fc.anything({ maxDepth: 0 }), weight: 1 },
);
