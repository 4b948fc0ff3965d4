// One key session hls.js asked a license for: whether hls.js still wants it, and its
// key statuses.
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

/** What {@link watchKeySession} returns. */
export interface KeySessionWatch {
  /** Aborted once the session is closed (EME's `closed` promise, resolved when the CDM confirms). */
  readonly signal: AbortSignal;
  /**
   * Whether hls.js dropped the session: closed, or removed from hls.js's own context
   * before the close completes. hls.js 1.5 hands the live context (its `mediaKeysSession`
   * is cleared on removal); 1.7 a copy sharing `keyRequests`, whose entry for the key
   * is cleared on removal.
   */
  dropped(): boolean;
}

/**
 * Watches the session of `keyContext` from the moment hls.js asks for its license:
 * `onStatuses` gets its key statuses on each change (hls.js has no event for them)
 * until it closes or `until` aborts.
 */
export function watchKeySession(
  keyContext: KeyContext,
  onStatuses: (statuses: MediaKeyStatusMap) => void,
  until: AbortSignal,
): KeySessionWatch {
  const closed = new AbortController();
  const session = keyContext.mediaKeysSession as MediaKeySession | undefined;
  if (session) {
    const onChange = () => onStatuses(session.keyStatuses);
    const stop = () => {
      closed.abort();
      session.removeEventListener('keystatuseschange', onChange);
      until.removeEventListener('abort', stop);
    };
    session.addEventListener('keystatuseschange', onChange);
    until.addEventListener('abort', stop);
    session.closed.then(stop, stop);
  }
  return {
    signal: closed.signal,
    dropped() {
      const requests = keyContext.keyRequests as KeyContext['keyRequests'] | undefined;
      const uri = keyContext.decryptdata?.uri;
      return (
        closed.signal.aborted ||
        (keyContext.mediaKeysSession as MediaKeySession | undefined) !== session ||
        (!!requests && uri !== undefined && !requests[uri])
      );
    },
  };
}
