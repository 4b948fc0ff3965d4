// FairPlay through Safari's legacy WebKit API ('com.apple.fps.1_0'): 'webkitneedkey'
// → WebKitMediaKeys → createSession('video/mp4', [initData|contentId|certificate]) →
// 'webkitkeymessage' (SPC) → CKC → update().

import { ClientCode } from '../core/catalog.js';
import { toBytes } from '../core/encoding.js';
import { ExpressPlayError } from '../core/errors.js';
import { contentIdFromSkd, legacyFairPlayInitData } from '../core/fairplay.js';
import { KeySystem } from '../core/key-systems.js';
import { emeError, KeySessions, type FairPlayKeyContext, type KeyRequest } from './fairplay-keys.js';
import type {
  LegacyWebKitMediaKeys,
  LegacyWebKitMediaKeysConstructor,
  LegacyWebKitMediaKeySession,
} from './types/environment.js';

/** The legacy WebKit half of one attachment: one WebKitMediaKeys for the element, one session per key. */
export class LegacyFairPlay {
  readonly #context: FairPlayKeyContext;
  readonly #sessions = new KeySessions<LegacyWebKitMediaKeySession>();
  #keys: LegacyWebKitMediaKeys | undefined;

  constructor(context: FairPlayKeyContext) {
    this.#context = context;
  }

  /** Answers one `webkitneedkey` event: a session, its SPC, the CKC. */
  async addKey(initData: Uint8Array): Promise<void> {
    const { env, licenser, certificate } = this.#context;
    const WebKit = env.WebKitMediaKeys;
    if (!WebKit)
      throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { drm: 'fairplay', details: 'no WebKitMediaKeys' });
    const key = licenser.keyRequest('skd', initData);
    const keys = this.#ensureKeys(WebKit);
    const cert = await certificate;
    if (this.#sessions.closed) return;
    // The legacy CDM wants the content id and certificate inside the initData.
    const skdContentId = contentIdFromSkd(key.skd!, licenser.contentIdStrategy);
    const session = keys.createSession('video/mp4', legacyFairPlayInitData(initData, skdContentId, cert));
    if (!session) throw emeError('createSession returned nothing');
    this.#sessions.add(session, {
      webkitkeymessage: (ev) => this.#onKeyMessage(session, key, ev as WebKitMediaKeyMessageEvent),
      webkitkeyadded: () => this.#onKeyAdded(key),
      webkitkeyerror: () => this.#onKeyError(session, key),
    });
  }

  /** Removes the session listeners and closes the sessions. */
  destroy(): void {
    this.#sessions.closeAll();
  }

  #onKeyMessage(session: LegacyWebKitMediaKeySession, key: KeyRequest, ev: WebKitMediaKeyMessageEvent): void {
    const spc = toBytes(ev.message);
    this.#context.licenser
      .ckcFor(spc, key)
      .then((ckc) => (this.#sessions.closed ? undefined : session.update(ckc)))
      .catch((err: unknown) => this.#context.fail(err, key.contentId));
  }

  #onKeyAdded(key: KeyRequest): void {
    this.#context.emit({
      type: 'expressplay:keystatus',
      contentId: key.contentId,
      keyStatus: { keyId: key.contentId, status: 'usable' },
    });
  }

  #onKeyError(session: LegacyWebKitMediaKeySession, key: KeyRequest): void {
    const error = session.error;
    this.#context.fail(
      emeError(`WebKit key error ${error?.code ?? '?'} (system code ${error?.systemCode ?? '?'})`),
      key.contentId,
    );
  }

  /** One WebKitMediaKeys per element, set on it at the first key. */
  #ensureKeys(WebKit: LegacyWebKitMediaKeysConstructor): LegacyWebKitMediaKeys {
    if (this.#keys) return this.#keys;
    if (!WebKit.isTypeSupported(KeySystem.FAIRPLAY_LEGACY, 'video/mp4')) {
      throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
        drm: 'fairplay',
        details: `${KeySystem.FAIRPLAY_LEGACY} is not supported`,
      });
    }
    this.#keys = new WebKit(KeySystem.FAIRPLAY_LEGACY);
    // Safari's own type is the ambient WebKitMediaKeys; ours is the same shape.
    this.#context.video.webkitSetMediaKeys?.(this.#keys as WebKitMediaKeys);
    return this.#keys;
  }
}
