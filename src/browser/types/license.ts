// Options of one license request (`requestLicense`, `requestCkc`).

import type { Drm } from '../../core/errors.js';
import type { RetryOptions } from './retry.js';

/** Options of {@link requestLicense}. */
export interface LicenseRequestOptions {
  /** The DRM of the challenge (typed errors carry it). */
  drm: Drm;
  /** Aborts the request (-9012). */
  signal?: AbortSignal;
  /** Cap on the request, body included (default 10 s). */
  timeoutMs?: number;
  /** Largest answer body read, bytes (default 64 KiB); a larger one is -9061 and is not read further. */
  maxBodyBytes?: number;
  /** Injected fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Extra request headers (over `content-type`). */
  headers?: Record<string, string>;
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** `fetch` credentials mode (default `omit`: the rights URL carries its own token). */
  credentials?: RequestCredentials;
  /**
   * When given, the rights URL's host must match (same patterns as the token
   * client's). https is always required except on localhost.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
  /**
   * Retry a 5xx, 429, network error or timeout (backoff with jitter, Retry-After).
   * Off by default: players with a retry policy of their own (Shaka) keep it; pass
   * one where the player has none (videojs-contrib-eme). Token refusals
   * (-4010/401/403) are never retried here: they need a fresh token.
   */
  retry?: RetryOptions;
}
