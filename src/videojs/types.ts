// The slice of Video.js and videojs-contrib-eme this adapter touches, as
// structural types. Declared here rather than imported from `video.js` so the
// published .d.ts does not depend on an optional peer's generated typings (whose
// JSDoc-derived types are mostly `any`); test/browser/videojs checks that the
// real `videojs` object is assignable to `VideoJsLike`.

import type { Drm, ExpressPlayError } from '../core/errors.js';
import type { ContentIdStrategy } from '../core/fairplay.js';
import type { DetectDrmOptions, TokenClient, TokenClientOptions } from '../browser/types.js';

/** What the app adds to a Video.js source: `player.src({ src, type, expressplay: { contentId } })`. */
export interface ExpressPlaySourceOptions {
  /**
   * The app's content id, sent to the token endpoint. May be omitted for FairPlay
   * only: then it is taken from the `skd://` URI when the key is needed.
   */
  contentId?: string;
  /** A rights URL the app already has (its own playback API): no token request at all. */
  rightsUrl?: string;
  expiresAt?: Date;
  /** Key ids (hex), when the app knows them; passed to the token endpoint. */
  kids?: readonly string[];
}

export interface ExpressPlayPluginOptions {
  /** A token client the app shares between players; the plugin never disposes it. */
  tokenClient?: TokenClient;
  /** Or options for one the plugin creates (and disposes with the player). */
  token?: TokenClientOptions;
  /** Detection options (e.g. `includeClearKey: true` against the emulator). */
  detect?: DetectDrmOptions;
  /** Use this DRM instead of the detected preference (it must still be supported). */
  drm?: Drm;
  fairplay?: {
    /** The FairPlay application certificate: a URL (fetched once per page), or its bytes (DER or base64). */
    certificate: string | ArrayBuffer | Uint8Array;
    /** How the content id is read from the `skd://` URI when the source gives none (default `whole`). */
    contentIdStrategy?: ContentIdStrategy;
  };
  /** Per license request (default: the browser layer's). */
  licenseTimeoutMs?: number;
  licenseHeaders?: Record<string, string>;
}

/** What `player.expressplay(options)` returns. */
export interface ExpressPlayHandle {
  readonly tokenClient: TokenClient;
  /** Stops everything this plugin started on the player (also done on player dispose). */
  dispose(): void;
}

/* ------------------------------------------------------------- Video.js shapes */

export interface VjsSource {
  src?: string;
  type?: string;
  keySystems?: Record<string, unknown>;
  expressplay?: ExpressPlaySourceOptions;
}

/** contrib-eme's `keystatuschange` event, triggered on the tech. */
export interface VjsKeyStatusEvent {
  keyId?: ArrayBuffer | ArrayBufferView;
  status?: string;
}

export interface VjsTech {
  on(type: string, listener: (event: VjsKeyStatusEvent) => void): void;
  off(type: string, listener: (event: VjsKeyStatusEvent) => void): void;
}

/** The argument of `player.error()`: Video.js copies every field onto its MediaError. */
export interface VjsErrorInit {
  code: number;
  message: string;
  metadata?: Record<string, unknown>;
  /** Ours: the typed error itself. */
  expressplay?: ExpressPlayError;
}

export interface VjsPlayer {
  id(): string;
  on(type: string, listener: () => void): void;
  off(type: string, listener: () => void): void;
  trigger(event: string | { type: string }, hash?: unknown): void;
  error(err?: VjsErrorInit | string | number | null): unknown;
  isDisposed(): boolean;
  /** contrib-eme: the plugin function until called, then its API object. */
  eme?: unknown;
}

export interface VjsMiddleware {
  setSource?(src: VjsSource, next: (err: unknown, src: VjsSource) => void): void;
  setTech?(tech: VjsTech): void;
}

/** The `videojs` function object, as far as this adapter uses it. */
export interface VideoJsLike {
  registerPlugin(name: string, plugin: (this: VjsPlayer, options?: ExpressPlayPluginOptions) => ExpressPlayHandle): unknown;
  getPlugin?(name: string): unknown;
  use(type: string, factory: (player: VjsPlayer) => VjsMiddleware): void;
  hook(type: string, fn: (player: VjsPlayer, err: unknown) => unknown): void;
}
