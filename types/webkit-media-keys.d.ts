// Ambient declarations for Safari's legacy, prefixed FairPlay API
// (`WebKitMediaKeys`, Safari ≤ 12.0 and still present later). TypeScript's DOM
// library does not describe it; the library only touches it behind feature checks.

interface WebKitMediaKeyError {
  /** 1 unknown, 2 client, 3 service, 4 output, 5 hardware change, 6 domain. */
  readonly code: number;
  readonly systemCode: number;
}

interface WebKitMediaKeyMessageEvent extends Event {
  /** The SPC (FairPlay) to send to the key server. */
  readonly message: Uint8Array;
  readonly destinationURL?: string;
}

interface WebKitMediaKeyNeededEvent extends Event {
  /** The skd URI of the key, as UTF-16LE (length-prefixed in some versions). */
  readonly initData: Uint8Array;
}

interface WebKitMediaKeySessionEventMap {
  webkitkeymessage: WebKitMediaKeyMessageEvent;
  webkitkeyadded: Event;
  webkitkeyerror: Event;
}

interface WebKitMediaKeySession extends EventTarget {
  readonly error: WebKitMediaKeyError | null;
  readonly keySystem: string;
  readonly sessionId: string;
  update(key: Uint8Array): void;
  close(): void;
  addEventListener<K extends keyof WebKitMediaKeySessionEventMap>(
    type: K,
    listener: (this: WebKitMediaKeySession, ev: WebKitMediaKeySessionEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof WebKitMediaKeySessionEventMap>(
    type: K,
    listener: (this: WebKitMediaKeySession, ev: WebKitMediaKeySessionEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

interface WebKitMediaKeys {
  readonly keySystem: string;
  createSession(type: string, initData: Uint8Array): WebKitMediaKeySession;
}

interface WebKitMediaKeysConstructor {
  new (keySystem: string): WebKitMediaKeys;
  readonly prototype: WebKitMediaKeys;
  isTypeSupported(keySystem: string, type?: string): boolean;
}

interface Window {
  WebKitMediaKeys?: WebKitMediaKeysConstructor;
}

interface HTMLMediaElement {
  webkitSetMediaKeys?(keys: WebKitMediaKeys | null): void;
  readonly webkitKeys?: WebKitMediaKeys | null;
}

interface HTMLMediaElementEventMap {
  webkitneedkey: WebKitMediaKeyNeededEvent;
}
