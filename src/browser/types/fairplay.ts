// FairPlay: certificate options, a player adapter's FairPlay option, and `attachFairPlay` on a bare `<video>`.

import type { ExpressPlayError } from '../../core/errors.js';
import type { ContentIdStrategy } from '../../core/fairplay.js';
import type { EmeEnvironment } from './environment.js';
import type { ExpressPlayEvent } from './events.js';
import type { Logger } from './logger.js';
import type { TokenClient } from './token-client.js';

/** A player adapter's `fairplay` option; used only when detection picks FairPlay (Safari). */
export interface PlayerFairPlayOptions {
  /**
   * The application certificate: a URL (fetched once per page), or its bytes (DER or
   * base64). Required when FairPlay is chosen (-9040 without it).
   */
  certificate: string | ArrayBuffer | Uint8Array;
  /** How the content id is read from the `skd://` URI when the source gives none (default `whole`). */
  contentIdStrategy?: ContentIdStrategy;
}

/**
 * Options of {@link getFairPlayCertificate}. A certificate URL is fetched once
 * per page: `timeoutMs`, `fetch` and `credentials` of the call that starts the
 * fetch apply to it; `signal` only detaches its own caller.
 */
export interface FairPlayCertificateOptions {
  /** Aborts this caller's wait (-9012). */
  signal?: AbortSignal;
  /** Cap on the fetch (default 10 s). */
  timeoutMs?: number;
  /** Largest answer body read, bytes (default 64 KiB); a larger one is -9061 and is not read further. */
  maxBodyBytes?: number;
  /** Injected fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** `fetch` credentials mode (default `same-origin`). */
  credentials?: RequestCredentials;
  /**
   * Hosts the certificate may come from (exact hosts, `*.suffix` patterns or RegExps,
   * as `allowedRightsHosts`). Default: any host; https is always required except on localhost.
   */
  allowedCertificateHosts?: ReadonlyArray<string | RegExp>;
}

/** Options of {@link attachFairPlay}. */
export interface AttachFairPlayOptions {
  /** The FairPlay application certificate: a URL, or its bytes (DER or base64). */
  certificate: string | ArrayBuffer | Uint8Array;
  /** Where rights URLs come from when neither `rightsUrl` nor the skd URI gives one. */
  tokenClient?: TokenClient;
  /** A rights URL the app already has (used for every key of this element). */
  rightsUrl?: string;
  /** How the content id is taken from the `skd://` URI (default `whole`). */
  contentIdStrategy?: ContentIdStrategy;
  /** The app's content id for the token client; default: from the skd URI, else the first key id. */
  contentId?: string;
  /** `auto` (default): modern EME when `requestMediaKeySystemAccess` exists, else legacy WebKit. */
  api?: 'auto' | 'eme' | 'webkit-legacy';
  /** Aborting it detaches (as `detach()`). */
  signal?: AbortSignal;
  /** Cap on the certificate fetch and on each CKC request (default 10 s). */
  timeoutMs?: number;
  /** Extra headers on the CKC request. */
  headers?: Record<string, string>;
  /** Injected fetch for the certificate and CKC requests. */
  fetch?: typeof fetch;
  /** Receives the `expressplay:*` events of this element (`drm` is `fairplay`). */
  onEvent?: (event: ExpressPlayEvent) => void;
  /** Every failure, typed (also emitted as `expressplay:error`). */
  onError?: (error: ExpressPlayError) => void;
  /** Your logger (messages token-redacted). */
  logger?: Logger;
  /**
   * Hosts the SPC may go to when there is no `tokenClient` (which has its own
   * allowlist). Default: ExpressPlay's hosts. Protects against a playlist whose
   * skd URI points elsewhere.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
  /** EME entry points instead of the page's (tests, iframes). */
  environment?: EmeEnvironment;
}

/** What {@link attachFairPlay} returns. */
export interface FairPlayAttachment {
  /** Removes every listener, aborts requests, closes sessions. */
  detach(): void;
}
