// What attaching needs before any Shaka hook: the token client (the app's, or
// one the adapter owns whose events also reach the player), detection, the
// FairPlay certificate, and the token context of a content on this device.

import { getFairPlayCertificate } from '../browser/fairplay-on-demand.js';
import { detectDrmWithItsCode } from '../browser/detect-with-code.js';
import { createTokenClient } from '../browser/token-client.js';
import type { DetectDrmOptions, DrmProfile, KeySystemSupport } from '../browser/types/detection.js';
import type { TokenClient, TokenClientOptions, TokenContext } from '../browser/types/token-client.js';
import { ClientCode, ExpressPlayError } from '../core/index.js';
import type { ShakaEvents } from './events.js';

/** The token client in use, and whether the adapter made it (then it disposes it on detach). */
export interface ShakaTokenClient {
  readonly client: TokenClient;
  readonly owned: boolean;
}

/** What detection decided: the key system the player is configured for, and the FairPlay certificate. */
export interface ShakaDevice {
  readonly profile: DrmProfile;
  /** `profile.preferred`. */
  readonly support: KeySystemSupport;
  /** Its key system. */
  readonly keySystem: string;
  readonly certificate: Uint8Array | undefined;
}

function isTokenClient(value: TokenClientOptions | TokenClient): value is TokenClient {
  return typeof (value as TokenClient).getRightsUrl === 'function';
}

/** The app's client, or one made from its options whose events (token fetched, its errors) go to the player as well as the app's `onEvent`. */
export function tokenClientFor(token: TokenClientOptions | TokenClient, events: ShakaEvents): ShakaTokenClient {
  if (isTokenClient(token)) return { client: token, owned: false };
  const client = createTokenClient({ ...token, onEvent: (e) => (token.onEvent?.(e), events.emit(e)) });
  return { client, owned: true };
}

/**
 * Detects the DRM, fetches the FairPlay certificate when FairPlay is chosen, emits `expressplay:detected`.
 * @throws -9030 when no DRM is supported here; -9040 for FairPlay without a certificate; the certificate's errors.
 */
export async function detectDevice(
  options: { detect?: DetectDrmOptions; fairplay?: { certificate: string | ArrayBuffer | Uint8Array } },
  events: ShakaEvents,
): Promise<ShakaDevice> {
  const profile = await detectDrmWithItsCode(options.detect);
  const support = profile.preferred;
  if (!support?.supported || !support.keySystem)
    throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { details: 'no supported DRM on this device' });
  const drm = support.drm;
  events.drm = drm;
  let certificate: Uint8Array | undefined;
  if (drm === 'fairplay') {
    if (!options.fairplay?.certificate)
      throw new ExpressPlayError(ClientCode.CERTIFICATE_INVALID, {
        details: 'FairPlay needs options.fairplay.certificate',
        drm,
      });
    certificate = await getFairPlayCertificate(options.fairplay.certificate);
  }
  events.emit({ type: 'expressplay:detected', drm, profile });
  return { profile, support, keySystem: support.keySystem, certificate };
}

/** The token context of `contentId` (and the key ids `kids` one session asks for) on this device. */
export function tokenContext(support: KeySystemSupport, contentId: string, kids?: readonly string[]): TokenContext {
  return {
    drm: support.drm,
    contentId,
    ...(kids?.length ? { kids } : {}),
    ...(support.securityLevel === undefined ? {} : { securityLevel: support.securityLevel }),
    hdcp: support.hdcp,
  };
}
