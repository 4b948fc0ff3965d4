// Every seed rule for token parameters, in one place. Works on wire pairs, so
// the same code checks a request the builder is about to send and a request the
// emulator has just received. Readings of ambiguous seed text are marked (reading).

import { isBase64, isHex } from './encoding.js';
import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';
import { isTokenDrm, MAX_TOKEN_LIFETIME_SECONDS, type TokenDrm, type WireParams } from './params.js';

/** What a valid request asks for, normalized; the emulator mints tokens from this. */
export interface NormalizedTokenParams {
  /** The DRM of the token path. */
  drm: TokenDrm;
  /** The authenticator as sent (non-empty). */
  customerAuthenticator: string;
  /** Format for error bodies; `'html'` when not given. */
  errorFormat: 'html' | 'json';
  /** Key id: lower-case hex, or `^name` as given. */
  kid?: string;
  /** Content key, lower-case hex. */
  contentKey?: string;
  /** Key-encryption key, lower-case hex. */
  kek?: string;
  /** Wrapped content key, lower-case hex. */
  ek?: string;
  /** FairPlay only: content IV, lower-case hex. */
  iv?: string;
  /** Widevine only. */
  contentId?: string;
  /** Widevine only: 1–5. */
  securityLevel?: number;
  /** Widevine only: 0–2. */
  hdcpOutputControl?: number;
  /** Widevine only: seconds. */
  licenseDuration?: number;
  /** FairPlay only: seconds. */
  rentalDuration?: number;
  /** FairPlay and PlayReady only: `BuyToOwn` or `Rental`. */
  rightsType?: string;
  /** Absolute expiry, milliseconds since the epoch. */
  expiresAt: number;
  /** Correlation cookie, at most 32 characters. */
  cookie?: string;
  /** `wvExtension` (Widevine) or `fpExtension` (FairPlay) values, split at the first comma. */
  extensions: {
    /** The 4-character type. */
    type: string;
    /** The base64 payload, as sent. */
    payload: string;
  }[];
  /** Parameters outside the table, forwarded as they are. */
  extra: Record<string, string>;
}

type Fail = (code: number, details?: string) => never;

interface Rule {
  readonly drms: readonly TokenDrm[];
  readonly repeatable?: boolean;
  /** Code when absent, for the DRMs that require it. */
  readonly missing?: Partial<Record<TokenDrm, number>>;
  readonly check?: (value: string, fail: Fail, now: number) => void;
}

const ALL: readonly TokenDrm[] = ['widevine', 'fairplay', 'playready'];
const WV: readonly TokenDrm[] = ['widevine'];
const FP: readonly TokenDrm[] = ['fairplay'];

const INT_RE = /^\d+$/;
const RFC3339_Z_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?[Zz]$/;

function checkKid(value: string, fail: Fail): void {
  if (value.startsWith('^')) {
    const name = value.slice(1);
    if (name.length === 0) fail(-4022, 'empty kid name after ^');
    if (name.length > 64) fail(-4021, `${name.length} characters after ^`);
    return;
  }
  if (!isHex(value, 32)) fail(-4020, `got ${value.length} characters`);
}

function checkExtension(invalidCode: number) {
  return (value: string, fail: Fail): void => {
    const comma = value.indexOf(',');
    if (comma < 0) fail(invalidCode, 'expected "type,payload"');
    const type = value.slice(0, comma);
    const payload = value.slice(comma + 1);
    if (type.length !== 4) fail(-2036, `"${type}" has ${type.length} characters`);
    if (!isBase64(payload)) fail(-2037);
  };
}

/**
 * Parses `expirationTime` (`+N` seconds, 1 s … 30 days, or an RFC 3339 UTC
 * date-time in the future and at most 30 days ahead, with one minute of slack
 * for clock skew) into an absolute time in ms since the epoch.
 *
 * @param value - the wire value.
 * @param now - the reference time, ms since the epoch.
 * @param fail - called with -2002 and a detail when the value is invalid; must throw.
 */
export function parseExpirationTime(value: string, now: number, fail: Fail): number {
  const maxMs = MAX_TOKEN_LIFETIME_SECONDS * 1000;
  if (value.startsWith('+')) {
    if (!INT_RE.test(value.slice(1))) fail(-2002, `"+N" needs whole seconds, got "${value}"`);
    const seconds = Number(value.slice(1));
    if (seconds < 1 || seconds > MAX_TOKEN_LIFETIME_SECONDS) fail(-2002, `+${seconds} s is outside 1 s … 30 days`);
    return now + seconds * 1000;
  }
  const m = RFC3339_Z_RE.exec(value);
  if (!m) fail(-2002, 'expected an RFC 3339 date-time ending in Z, or +seconds');
  const at = Date.parse(value.toUpperCase());
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const back = new Date(at);
  // Date.parse rolls 2026-02-31 over to March: compare the fields to refuse it.
  if (
    Number.isNaN(at) ||
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() + 1 !== mo ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    fail(-2002, `"${value}" is not a valid date-time`);
  }
  if (at <= now) fail(-2002, 'the expiration time is in the past');
  // (reading) a small allowance for clock skew between the caller and the service.
  if (at > now + maxMs + 60_000) fail(-2002, 'more than 30 days ahead');
  return at;
}

/** The table, in the spec's order. Order decides which error a request with several mistakes gets. */
const RULES: Readonly<Record<string, Rule>> = {
  customerAuthenticator: {
    drms: ALL,
    missing: { widevine: -2017, fairplay: -2017, playready: -2017 },
    check: (v, fail) => {
      if (v.trim() === '') fail(-2017);
    },
  },
  errorFormat: {
    drms: ALL,
    check: (v, fail) => {
      if (v !== 'html' && v !== 'json') fail(-3004, `"${v}"`);
    },
  },
  // (reading) "4-byte hex; only '0000' is accepted": any all-zero hex string of 4 or 8 digits.
  generalFlags: {
    drms: ALL,
    check: (v, fail) => {
      if (!/^(?:[0-9a-fA-F]{4}|[0-9a-fA-F]{8})$/.test(v) || !/^0+$/.test(v)) fail(-5003, `"${v}"`);
    },
  },
  kek: {
    drms: ALL,
    check: (v, fail) => {
      if (!isHex(v, 32)) fail(-4024, 'kek must be 32 hex characters');
    },
  },
  kid: { drms: ALL, missing: { widevine: -4018, playready: -4018 }, check: checkKid },
  // A 16-byte key wrapped with RFC 3394 is 24 bytes.
  ek: {
    drms: ALL,
    check: (v, fail) => {
      if (!isHex(v, 48)) fail(-4024, 'ek must be 48 hex characters (a wrapped 16-byte key)');
    },
  },
  contentKey: {
    drms: ALL,
    check: (v, fail) => {
      if (!isHex(v, 32)) fail(-2027, `got ${v.length} characters`);
    },
  },
  contentId: { drms: WV },
  securityLevel: {
    drms: WV,
    missing: { widevine: -7003 },
    check: (v, fail) => {
      if (!/^[1-5]$/.test(v)) fail(-7004, `"${v}"`);
    },
  },
  hdcpOutputControl: {
    drms: WV,
    missing: { widevine: -7006 },
    check: (v, fail) => {
      if (!INT_RE.test(v)) fail(-2008, `"${v}" is not a whole number`);
      if (Number(v) > 2) fail(-2034, `hdcpOutputControl ${v} (0, 1 or 2)`);
    },
  },
  licenseDuration: {
    drms: WV,
    check: (v, fail) => {
      if (!INT_RE.test(v) || !Number.isSafeInteger(Number(v))) fail(-7007, `"${v}"`);
    },
  },
  wvExtension: { drms: WV, repeatable: true, check: checkExtension(-7009) },
  iv: {
    drms: FP,
    missing: { fairplay: -6003 },
    check: (v, fail) => {
      if (!isHex(v, 32)) fail(-6003, `got ${v.length} characters`);
    },
  },
  rentalDuration: {
    drms: FP,
    check: (v, fail) => {
      if (!INT_RE.test(v) || !Number.isSafeInteger(Number(v))) fail(-6007, `"${v}"`);
    },
  },
  fpExtension: { drms: FP, repeatable: true, check: checkExtension(-6001) },
  rightsType: {
    drms: ['fairplay', 'playready'],
    check: (v, fail) => {
      if (v !== 'BuyToOwn' && v !== 'Rental') fail(-2021, `"${v}"`);
    },
  },
  expirationTime: { drms: ALL },
  cookie: {
    drms: ALL,
    check: (v, fail) => {
      if (v.length > 32) fail(-2033, `${v.length} characters (at most 32)`);
    },
  },
};

/** Names of the table's parameters for a DRM, in order. */
export function tokenParamNames(drm: TokenDrm): string[] {
  return Object.entries(RULES)
    .filter(([, r]) => r.drms.includes(drm))
    .map(([name]) => name);
}

/** Options of {@link validateTokenParams}. */
export interface ValidateOptions {
  /** The time the request is checked at (ms since the epoch); `Date.now()` by default. */
  now?: number;
}

/**
 * Checks wire parameters against every seed rule and returns what they ask for.
 * Throws the `ExpressPlayError` of the first broken rule, with the seed's code.
 *
 * Rules run in the spec's table order, so a request with several mistakes gets
 * the same code the service would give first. Besides the per-parameter codes:
 * -9005 for an unknown `drm`, -9002 for a non-repeatable parameter given twice,
 * -4024 / -2005 for inconsistent key sources (`contentKey`, `kek` + `ek`, `kid`),
 * -2023 for a FairPlay `Rental` without `rentalDuration`. Parameters of other
 * DRMs' tables or of no table are kept in `extra`. Shared by `buildTokenRequest`
 * and the emulator, so both refuse exactly the same requests.
 */
export function validateTokenParams(
  drm: TokenDrm,
  pairs: WireParams,
  options: ValidateOptions = {},
): NormalizedTokenParams {
  const now = options.now ?? Date.now();
  const fail: Fail = (code, details) => {
    throw new ExpressPlayError(code, { details, drm, httpStatus: undefined });
  };
  // Own-property check ('toString' in {} is true).
  if (!isTokenDrm(drm)) fail(ClientCode.UNSUPPORTED_DRM, String(drm));
  const values = valuesByName(pairs);
  const one = (name: string): string | undefined => values.get(name)?.[0];

  // Authentication and error format first (table order): the service cannot answer properly without them.
  checkTable(drm, values, fail, now);
  const extra = forwarded(drm, values, fail);
  checkKeySource(drm, one, fail);
  if (one('rightsType') === 'Rental' && one('rentalDuration') === undefined && drm === 'fairplay') fail(-2023);
  const expirationTime = one('expirationTime');
  const out: NormalizedTokenParams = {
    drm,
    customerAuthenticator: one('customerAuthenticator')!,
    errorFormat: (one('errorFormat') as 'html' | 'json' | undefined) ?? 'html',
    expiresAt:
      expirationTime === undefined
        ? now + MAX_TOKEN_LIFETIME_SECONDS * 1000
        : parseExpirationTime(expirationTime, now, fail),
    extensions: [],
    extra,
  };
  assignOptional(out, one);
  const extName = drm === 'widevine' ? 'wvExtension' : drm === 'fairplay' ? 'fpExtension' : undefined;
  for (const value of (extName && values.get(extName)) || []) {
    const comma = value.indexOf(',');
    out.extensions.push({ type: value.slice(0, comma), payload: value.slice(comma + 1) });
  }
  return out;
}

/** Every value of each parameter, in the order given. */
function valuesByName(pairs: WireParams): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  return values;
}

/** The DRM's table rules, in table order: required parameters, repeats, each value's own check. */
function checkTable(drm: TokenDrm, values: Map<string, string[]>, fail: Fail, now: number): void {
  for (const [name, rule] of Object.entries(RULES)) {
    const list = values.get(name);
    if (!rule.drms.includes(drm)) continue;
    if (list === undefined) {
      const code = rule.missing?.[drm];
      if (code !== undefined) fail(code);
      continue;
    }
    if (list.length > 1 && !rule.repeatable)
      fail(ClientCode.DUPLICATE_PARAMETER, `${name} is given ${list.length} times`);
    for (const value of list) rule.check?.(value, fail, now);
  }
}

/** Parameters of another DRM's table, or outside every table: forwarded as they are (once each). */
function forwarded(drm: TokenDrm, values: Map<string, string[]>, fail: Fail): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [name, list] of values) {
    // Own properties only: RULES['toString'] / RULES['__proto__'] come from Object.prototype;
    // a parameter of that name has no rule and is forwarded like any unknown one.
    const rule = Object.prototype.hasOwnProperty.call(RULES, name) ? RULES[name] : undefined;
    if (rule && rule.drms.includes(drm)) continue;
    if (list.length > 1) fail(ClientCode.DUPLICATE_PARAMETER, `${name} is given ${list.length} times`);
    // defineProperty, not `=`: assigning extra['__proto__'] would set the prototype and drop the value.
    Object.defineProperty(extra, name, { value: list[0]!, enumerable: true, writable: true, configurable: true });
  }
  return extra;
}

/** Cross-parameter rules: where the content key comes from (`contentKey`, `kek` + `ek`, or `kid`). */
function checkKeySource(drm: TokenDrm, one: (name: string) => string | undefined, fail: Fail): void {
  const kek = one('kek');
  const ek = one('ek');
  const kid = one('kid');
  const contentKey = one('contentKey');
  if (ek !== undefined && kek === undefined) fail(-4024, 'ek needs kek');
  if (kek !== undefined) {
    if (drm === 'fairplay' && (kid !== undefined) === (ek !== undefined)) {
      fail(-4024, 'with kek, give exactly one of kid or ek, not both');
    }
    if (drm !== 'fairplay' && ek === undefined) fail(-4024, 'kek needs ek');
    if (contentKey !== undefined) fail(-2005, 'give contentKey or kek with ek, not both');
  }
  if (contentKey === undefined && ek === undefined && kid === undefined) {
    fail(-2005, 'contentKey is required unless kek with ek, or kid, is given');
  }
}

/** The optional fields the request gives for its DRM: hex lower-cased, numbers as numbers. */
function assignOptional(out: NormalizedTokenParams, one: (name: string) => string | undefined): void {
  const drm = out.drm;
  const assign = <K extends keyof NormalizedTokenParams>(key: K, value: NormalizedTokenParams[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  const number = (name: string): number | undefined => {
    const value = one(name);
    return value === undefined ? undefined : Number(value);
  };
  const kid = one('kid');
  assign('kid', kid === undefined || kid.startsWith('^') ? kid : kid.toLowerCase());
  assign('contentKey', one('contentKey')?.toLowerCase());
  assign('kek', one('kek')?.toLowerCase());
  assign('ek', one('ek')?.toLowerCase());
  if (drm === 'fairplay') assign('iv', one('iv')?.toLowerCase());
  if (drm === 'widevine') {
    assign('contentId', one('contentId'));
    assign('securityLevel', number('securityLevel'));
    assign('hdcpOutputControl', number('hdcpOutputControl'));
    assign('licenseDuration', number('licenseDuration'));
  }
  if (drm === 'fairplay') assign('rentalDuration', number('rentalDuration'));
  if (drm !== 'widevine') assign('rightsType', one('rightsType'));
  assign('cookie', one('cookie'));
}
