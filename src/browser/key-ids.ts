// The key ids one license session asks for, and ExpressPlay's rule that one token
// holds one key. Both adapters route each license request by these key ids.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError, type Drm } from '../core/errors.js';
import { keyIdsFromInitData, keyIdsFromKeyIdsJson } from '../core/initdata.js';

/**
 * The seed's -4018 "missing kid", as a token endpoint's answer to a request without
 * `kids` for content with several keys: it cannot know which key is wanted, and never
 * mints a token for another one. Each session then asks with its own key ids.
 */
export const KEY_ID_REQUIRED = -4018;

/** Whether `err` is the back end's "name the key id" answer ({@link KEY_ID_REQUIRED}). */
export function isKeyIdRequired(err: unknown): boolean {
  return isExpressPlayError(err) && err.code === KEY_ID_REQUIRED;
}

/** One spelling per key-id set: lower-case hex without dashes, unique, sorted. */
export function normalizeKeyIds(kids: Iterable<string>): string[] {
  return [...new Set([...kids].map((k) => k.replace(/-/g, '').toLowerCase()))].sort();
}

/** What is known about a session: its initData (as EME reported it), and for ClearKey its license request. */
export interface SessionKeySource {
  initDataType?: string | null;
  initData?: ArrayBuffer | ArrayBufferView | null;
  /** A ClearKey license request (`{"kids":[…],"type":…}`, W3C EME §9.1.3): it names the session's key ids itself. */
  clearKeyMessage?: ArrayBuffer | ArrayBufferView | null;
}

/**
 * The key ids a session asks for (normalized; empty when none can be read): from its
 * initData (`cenc` pssh — W3C common and Widevine — `keyids`, `webm`, `sinf`), else from
 * a ClearKey license request. FairPlay `skd` initData names no key id.
 */
export function sessionKeyIds(source: SessionKeySource): string[] {
  if (source.initData && source.initDataType) {
    const kids = keyIdsFromInitData(source.initDataType, source.initData);
    if (kids.length > 0) return normalizeKeyIds(kids);
  }
  return source.clearKeyMessage ? clearKeyRequestKeyIds(source.clearKeyMessage) : [];
}

/** The key ids a ClearKey license request names (its own `kids`), normalized; no initData parsing pulled in. */
export function clearKeyRequestKeyIds(message: ArrayBuffer | ArrayBufferView): string[] {
  return normalizeKeyIds(keyIdsFromKeyIdsJson(message));
}

/**
 * Throws -9045 when one session asks for several key ids (a single pssh listing every
 * key): an ExpressPlay token holds one key, so the license would cover one of them and
 * the other tracks would never decrypt. Said before any token is asked for, instead of
 * a silent partial license.
 */
export function assertOneKeyPerSession(kids: readonly string[], drm?: Drm): void {
  if (kids.length > 1) throw severalKeyIdsError(kids, drm);
}

/** The -9045 error for a session asking for `kids` (two or more): which were asked, what one token would cover. */
export function severalKeyIdsError(kids: readonly string[], drm?: Drm): ExpressPlayError {
  const [first, ...rest] = kids;
  return new ExpressPlayError(ClientCode.SEVERAL_KEY_IDS, {
    drm,
    details:
      `one license session asks for key ids ${kids.join(', ')} at once. An ExpressPlay token holds one key ` +
      `(kid + contentKey, or kek + ek): a token for ${first} would give a license for ${first} only and leave ` +
      `${rest.join(', ')} undecryptable. Package each track with a pssh naming only its own key id (one token per key)`,
  });
}
