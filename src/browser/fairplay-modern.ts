// FairPlay through modern EME ('com.apple.fps'): 'encrypted' (skd/sinf/cenc) →
// requestMediaKeySystemAccess → setServerCertificate → generateRequest →
// 'message' (SPC) → CKC → update().

import { ClientCode } from '../core/catalog.js';
import { bytesToHex, toBytes } from '../core/encoding.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { KeySystem } from '../core/key-systems.js';
import { emeError, KeySessions, type FairPlayKeyContext, type KeyRequest } from './fairplay-keys.js';

/** The configuration asked of `com.apple.fps` (plus the event's `initDataTypes`). */
export const FPS_CONFIG: MediaKeySystemConfiguration = {
  videoCapabilities: [
    { contentType: 'application/vnd.apple.mpegurl', robustness: '' },
    { contentType: 'video/mp4', robustness: '' },
  ],
  distinctiveIdentifier: 'not-allowed',
  persistentState: 'not-allowed',
  sessionTypes: ['temporary'],
};

/** The modern EME half of one attachment: one MediaKeys for the element, one session per key. */
export class ModernFairPlay {
  readonly #context: FairPlayKeyContext;
  readonly #sessions = new KeySessions<MediaKeySession>();
  #mediaKeys: Promise<MediaKeys> | undefined;

  constructor(context: FairPlayKeyContext) {
    this.#context = context;
  }

  /** Answers one `encrypted` event: a session, its SPC, the CKC. */
  async addKey(initDataType: string, initData: Uint8Array): Promise<void> {
    const key = this.#context.licenser.keyRequest(initDataType, initData);
    const keys = await this.#ensureMediaKeys(initDataType);
    if (this.#sessions.closed) return;
    const session = keys.createSession('temporary');
    this.#sessions.add(session, {
      message: (ev) => this.#onMessage(session, key, ev as MediaKeyMessageEvent),
      keystatuseschange: () => this.#onKeyStatusesChange(session, key),
    });
    await session.generateRequest(initDataType, new Uint8Array(initData));
  }

  /** Removes the session listeners and closes the sessions. */
  destroy(): void {
    this.#sessions.closeAll();
  }

  #onMessage(session: MediaKeySession, key: KeyRequest, ev: MediaKeyMessageEvent): void {
    const spc = toBytes(ev.message);
    this.#context.licenser
      .ckcFor(spc, key)
      .then((ckc) => (this.#sessions.closed ? undefined : session.update(new Uint8Array(ckc))))
      .catch((err: unknown) =>
        this.#context.fail(isExpressPlayError(err) ? err : emeError('update() refused the CKC', err), key.contentId),
      );
  }

  #onKeyStatusesChange(session: MediaKeySession, key: KeyRequest): void {
    session.keyStatuses.forEach((status, keyId) =>
      this.#context.emit({
        type: 'expressplay:keystatus',
        contentId: key.contentId,
        keyStatus: { keyId: bytesToHex(toBytes(keyId)), status },
      }),
    );
  }

  /** One MediaKeys per element, made on the first key (its initDataType goes into the configuration). */
  #ensureMediaKeys(initDataType: string): Promise<MediaKeys> {
    this.#mediaKeys ??= this.#createMediaKeys(initDataType);
    return this.#mediaKeys;
  }

  async #createMediaKeys(initDataType: string): Promise<MediaKeys> {
    const { env, certificate, video } = this.#context;
    const request = env.requestMediaKeySystemAccess;
    if (!request)
      throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
        drm: 'fairplay',
        details: 'no requestMediaKeySystemAccess',
      });
    let access: MediaKeySystemAccess;
    try {
      access = await request(KeySystem.FAIRPLAY, [{ ...FPS_CONFIG, initDataTypes: [initDataType] }]);
    } catch (err) {
      throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
        drm: 'fairplay',
        details: `${KeySystem.FAIRPLAY} is not available`,
        cause: err,
      });
    }
    const keys = await access.createMediaKeys();
    const cert = await certificate;
    try {
      await keys.setServerCertificate(new Uint8Array(cert));
    } catch (err) {
      throw new ExpressPlayError(ClientCode.CERTIFICATE_INVALID, {
        drm: 'fairplay',
        details: 'the CDM refused the certificate',
        cause: err,
      });
    }
    await video.setMediaKeys(keys);
    return keys;
  }
}
