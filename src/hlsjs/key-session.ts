// Whether hls.js still wants the license of the key session it asked for.
//
// hls.js closes its key sessions when it leaves a source (1.7: on MANIFEST_LOADING;
// 1.5: when loadSource() detaches the media), and an XHR that completes for a
// closed session is a fatal KEY_SYSTEM_NO_KEYS error ('invalid state') in both
// versions. A license request the adapter holds back (a refresh, or one parked
// until its content loads again) may finish after that: it must then never
// reach hls.js's XHR.
import type { HlsConfig } from 'hls.js';

type XhrSetup = NonNullable<HlsConfig['licenseXhrSetup']>;
/** The key context hls.js hands `licenseXhrSetup` (its `MediaKeySessionContext` plus the key). */
export type KeyContext = Parameters<XhrSetup>[2];

/** Watches one key session from the moment hls.js asks for its license. */
export class KeySessionWatch {
  private readonly controller = new AbortController();
  private readonly session: MediaKeySession | undefined;

  constructor(private readonly keyContext: KeyContext) {
    this.session = keyContext.mediaKeysSession as MediaKeySession | undefined;
    const gone = () => this.controller.abort();
    this.session?.closed.then(gone, gone);
  }

  /** Aborted once the session is closed (EME's `closed` promise, resolved when the CDM confirms). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Whether hls.js dropped the session: closed, or removed from hls.js's own context
   * before the close completes. hls.js 1.5 hands the live context (its `mediaKeysSession`
   * is cleared on removal); 1.7 a copy sharing `keyRequests`, whose entry for the key
   * is cleared on removal.
   */
  get dropped(): boolean {
    if (this.controller.signal.aborted) return true;
    const { keyContext } = this;
    if ((keyContext.mediaKeysSession as MediaKeySession | undefined) !== this.session) return true;
    const requests = keyContext.keyRequests as KeyContext['keyRequests'] | undefined;
    const uri = keyContext.decryptdata?.uri;
    return requests !== undefined && uri !== undefined && requests[uri] === undefined;
  }
}
