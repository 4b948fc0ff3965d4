// The slice of Video.js and videojs-contrib-eme this adapter touches, as
// structural types. Declared here rather than imported from `video.js` so the
// published .d.ts does not depend on an optional peer's generated typings (whose
// JSDoc-derived types are mostly `any`); test/browser/videojs checks that the
// real `videojs` object is assignable to `VideoJsLike`.

import type { Drm, ExpressPlayError } from '../core/errors.js';
import type { PlayerFairPlayOptions } from '../browser/types/fairplay.js';
import type { DetectDrmOptions } from '../browser/types/detection.js';
import type { TokenClient, TokenClientOptions } from '../browser/types/token-client.js';

/** What the app adds to a Video.js source: `player.src({ src, type, expressplay: { contentId } })`. */
export interface ExpressPlaySourceOptions {
  /**
   * The app's content id, sent to the token endpoint. May be omitted for FairPlay
   * only: then it is taken from the `skd://` URI when the key is needed.
   */
  contentId?: string;
  /** A rights URL the app already has (its own playback API): no token request at all. */
  rightsUrl?: string;
  /** When `rightsUrl` expires; without it the token client's default lifetime applies. */
  expiresAt?: Date;
  /**
   * The key id (hex) of the source's token, when the app knows it: sent to the token
   * endpoint with the request made at `src()`, and the key `rightsUrl` is for. An
   * ExpressPlay token holds one key: for multi-key content leave it out; ClearKey
   * sessions name their own key ids and get one token per key. (Widevine / PlayReady
   * sessions cannot be told apart here: contrib-eme keeps their initData to itself.)
   */
  kids?: readonly string[];
}

/**
 * Options of the `expressplay` plugin (`player.expressplay(options)`). One of
 * `token` or `tokenClient` is required.
 */
export interface ExpressPlayPluginOptions {
  /** A token client the app shares between players; the plugin never disposes it. */
  tokenClient?: TokenClient;
  /** Or options for one the plugin creates (and disposes with the player). */
  token?: TokenClientOptions;
  /** Detection options (e.g. `includeClearKey: true` against the emulator). */
  detect?: DetectDrmOptions;
  /** Use this DRM instead of the detected preference (it must still be supported). */
  drm?: Drm;
  /** FairPlay settings; `certificate` is needed when FairPlay is used (Safari). */
  fairplay?: PlayerFairPlayOptions;
  /** Per license request (default: the browser layer's). */
  licenseTimeoutMs?: number;
  /** Extra headers on every license / CKC request (over the PlayReady SOAP headers). */
  licenseHeaders?: Record<string, string>;
}

/** What `player.expressplay(options)` returns. */
export interface ExpressPlayHandle {
  /** The token client in use: the app's `tokenClient`, or the one made from `token`. */
  readonly tokenClient: TokenClient;
  /** Stops everything this plugin started on the player (also done on player dispose). */
  dispose(): void;
}

/**
 * A Video.js player with the `expressplay` plugin: `P` (the player type) plus
 * `expressplay(options)`. Video.js's own types do not know plugins; this says
 * what {@link registerExpressPlay} adds, without this package importing
 * video.js (types or code). `P` defaults to the structural {@link VjsPlayer};
 * pass Video.js's `Player` type to keep the whole player API.
 *
 * @typeParam P - the player type, e.g. `Player` from `video.js/dist/types/player`.
 *
 * @example
 * ```ts
 * import videojs from 'video.js';
 * import type Player from 'video.js/dist/types/player';
 * import { registerExpressPlay, type ExpressPlayPlayer } from 'expressplay-eme/videojs';
 *
 * registerExpressPlay(videojs);
 * const player = videojs('my-video') as ExpressPlayPlayer<Player>;
 * const handle = player.expressplay({ token: { endpoint: '/api/expressplay-token' } });
 * ```
 */
export type ExpressPlayPlayer<P extends object = VjsPlayer> = P & {
  /**
   * Attaches ExpressPlay to this player (again: replaces the previous attachment).
   *
   * @throws `ExpressPlayError` -9030 when videojs-contrib-eme is not loaded;
   * -9001 without `token` or `tokenClient`; the errors of `createTokenClient`.
   */
  expressplay(options?: ExpressPlayPluginOptions): ExpressPlayHandle;
};

/* ------------------------------------------------------------- Video.js shapes */

/** A Video.js source object, with this plugin's `expressplay` field. */
export interface VjsSource {
  /** The manifest / media URL. */
  src?: string;
  /** Its MIME type (`application/dash+xml`, `application/x-mpegURL`, …). */
  type?: string;
  /** contrib-eme's key systems; the middleware adds the chosen one (yours are kept). */
  keySystems?: Record<string, unknown>;
  /** Present: this source is ExpressPlay-protected. Absent: the plugin leaves the source alone. */
  expressplay?: ExpressPlaySourceOptions;
}

/** contrib-eme's `keystatuschange` event, triggered on the tech. */
export interface VjsKeyStatusEvent {
  /** The key id. */
  keyId?: ArrayBuffer | ArrayBufferView;
  /** The EME key status. */
  status?: string;
}

/** The slice of a Video.js tech this adapter uses. */
export interface VjsTech {
  /** Adds an event listener. */
  on(type: string, listener: (event: VjsKeyStatusEvent) => void): void;
  /** Removes an event listener. */
  off(type: string, listener: (event: VjsKeyStatusEvent) => void): void;
}

/** The argument of `player.error()`: Video.js copies every field onto its MediaError. */
export interface VjsErrorInit {
  /** MediaError code (5, `MEDIA_ERR_ENCRYPTED`, for ours). */
  code: number;
  /** The error's message. */
  message: string;
  /** `{ errorType: 'expressplay', code, httpStatus, category, expressplay, eme? }` for ours. */
  metadata?: Record<string, unknown>;
  /** Ours: the typed error itself. */
  expressplay?: ExpressPlayError;
}

/** The slice of a Video.js player this adapter uses (structural: no import of video.js). */
export interface VjsPlayer {
  /** The player's id. */
  id(): string;
  /** Adds an event listener. */
  on(type: string, listener: () => void): void;
  /** Removes an event listener. */
  off(type: string, listener: () => void): void;
  /** Triggers an event on the player. */
  trigger(event: string | { type: string }, hash?: unknown): void;
  /** Sets (or gets) the player's error. */
  error(err?: VjsErrorInit | string | number | null): unknown;
  /** Whether the player was disposed. */
  isDisposed(): boolean;
  /** contrib-eme: the plugin function until called, then its API object. */
  eme?: unknown;
}

/** A Video.js source middleware, as far as this adapter writes one. */
export interface VjsMiddleware {
  /** Called with each source; passes it (possibly changed) to `next`. */
  setSource?(src: VjsSource, next: (err: unknown, src: VjsSource) => void): void;
  /** Called with the tech chosen for the source. */
  setTech?(tech: VjsTech): void;
}

/** The `videojs` function object, as far as this adapter uses it. */
export interface VideoJsLike {
  /** `videojs.registerPlugin`. */
  registerPlugin(
    name: string,
    plugin: (this: VjsPlayer, options?: ExpressPlayPluginOptions) => ExpressPlayHandle,
  ): unknown;
  /** `videojs.getPlugin`. */
  getPlugin?(name: string): unknown;
  /** `videojs.use`: registers a middleware for a MIME type (`'*'`: all). */
  use(type: string, factory: (player: VjsPlayer) => VjsMiddleware): void;
  /** `videojs.hook`: e.g. `beforeerror`, which may replace the error. */
  hook(type: string, fn: (player: VjsPlayer, err: unknown) => unknown): void;
}
