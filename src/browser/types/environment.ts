// The EME surface detection and FairPlay use (the page, or a test double), and Safari's legacy WebKit FairPlay API.

/** EME entry points; defaults to `navigator.requestMediaKeySystemAccess` and `window.WebKitMediaKeys`. */
export interface EmeEnvironment {
  /** Standard EME (`navigator.requestMediaKeySystemAccess`). */
  requestMediaKeySystemAccess?: (
    keySystem: string,
    configurations: MediaKeySystemConfiguration[],
  ) => Promise<MediaKeySystemAccess>;
  /** Safari's legacy prefixed API (`window.WebKitMediaKeys`). */
  WebKitMediaKeys?: LegacyWebKitMediaKeysConstructor;
}

// The legacy WebKit FairPlay API, described here (not only in the ambient
// types/webkit-media-keys.d.ts) so the published declarations stand alone.

/** A session of Safari's legacy prefixed FairPlay API (`webkitkeymessage`, `webkitkeyadded`, `webkitkeyerror` events). */
export interface LegacyWebKitMediaKeySession extends EventTarget {
  /** The last key error, or null. */
  readonly error: {
    /** WebKit's key error code. */
    readonly code: number;
    /** The CDM's own code. */
    readonly systemCode: number;
  } | null;
  /** Hands the CKC to the CDM. */
  update(key: Uint8Array): void;
  /** Closes the session. */
  close(): void;
}

/** Safari's legacy `WebKitMediaKeys` instance. */
export interface LegacyWebKitMediaKeys {
  /** The key system it was created for. */
  readonly keySystem: string;
  /** Starts a session; `initData` in the layout of `legacyFairPlayInitData`. */
  createSession(type: string, initData: Uint8Array): LegacyWebKitMediaKeySession;
}

/** Safari's legacy `window.WebKitMediaKeys` constructor. */
export interface LegacyWebKitMediaKeysConstructor {
  /** Creates the media keys for a key system (e.g. `com.apple.fps.1_0`). */
  new (keySystem: string): LegacyWebKitMediaKeys;
  /** Whether the key system (and optionally the MIME type) is supported. */
  isTypeSupported(keySystem: string, type?: string): boolean;
}
