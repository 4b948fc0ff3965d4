/**
 * Shaka Player adapter (`expressplay-eme/shaka`).
 *
 * ```ts
 * const ep = await attachExpressPlay(player, {
 *   token: { endpoint: '/api/expressplay-token' },   // or a TokenClient the app made
 *   contentId: (manifestUri) => myIdFor(manifestUri),
 *   fairplay: { certificate: '/fairplay.cer' },
 * });
 * await player.load(manifestUri);
 * ```
 *
 * Await `attachExpressPlay` before `player.load()`: detection decides the key
 * system, and Shaka copies its DRM configuration when a load starts.
 *
 * Thin by design: detection, tokens and FairPlay formats live in src/browser and
 * src/core. Here only Shaka's own hooks are used: `drm.servers`/`drm.advanced`,
 * networking-engine request/response filters, its `retry` event and retry
 * machinery, `drm.initDataTransform`, and the player's event target. Only types
 * are imported from shaka-player; `FakeEvent` is taken from `options.shaka` or
 * `window.shaka` at run time, so the adapter never bundles a second Shaka.
 */
import type shaka from 'shaka-player';
import type {
  DetectDrmOptions,
  DrmProfile,
  KeySystemSupport,
  RightsInfo,
  TokenClient,
  TokenClientOptions,
} from '../browser/index.js';
import { ClientCode, ExpressPlayError } from '../core/index.js';
import type { ContentIdStrategy } from '../core/index.js';
import { ShakaController } from './controller.js';
import { ShakaEvents } from './events.js';
import { detectDevice, tokenClientFor, tokenContext } from './setup.js';

export { expressPlayErrorOf } from './shaka-errors.js';

type ShakaNamespace = typeof shaka;

/** Options of {@link attachExpressPlay}. */
export interface ShakaExpressPlayOptions {
  /** The token endpoint's options (a client is made and owned), or a client the app made (never disposed here). */
  token: TokenClientOptions | TokenClient;
  /**
   * The app's content id for each load: a string, or a function of the manifest URI
   * (`undefined`: clear content, or FairPlay with the id taken from the `skd://` URI).
   * Known at `load()` time, the token fetch starts then, in parallel with the manifest.
   */
  contentId?: string | ((manifestUri: string) => string | undefined);
  /** Detection options, e.g. `{ includeClearKey: true }` for the emulator's ClearKey stand-in. */
  detect?: DetectDrmOptions;
  /** FairPlay settings; used only when detection picks FairPlay (Safari). */
  fairplay?: {
    /** The application certificate: URL (fetched once per page) or bytes. Required when FairPlay is chosen. */
    certificate: string | ArrayBuffer | Uint8Array;
    /** How the content id is read from `skd://` (default `whole`). */
    contentIdStrategy?: ContentIdStrategy;
    /** Scheme of a rights URL carried in the skd URI (default `https`). */
    skdScheme?: 'https' | 'http';
  };
  /** The Shaka namespace, when `window.shaka` is not set (some bundler set-ups). */
  shaka?: ShakaNamespace;
}

/** The handle {@link attachExpressPlay} resolves with. */
export interface ShakaExpressPlay {
  /** What detection found on this device. */
  readonly profile: DrmProfile;
  /** The DRM chosen (`profile.preferred`), whose key system the player was configured for. */
  readonly support: KeySystemSupport;
  /** The token client in use: the app's, or the one made from `options.token`. */
  readonly tokenClient: TokenClient;
  /**
   * Starts the token fetch before `load()` (content card shown, hover). For multi-key
   * content pass the key ids of a key the app knows will be asked for (one call per key).
   */
  prefetch(contentId: string, kids?: readonly string[]): Promise<RightsInfo | undefined>;
  /** A rights URL the app already has: no token request for this content (for the key `kids`, when given). */
  setRightsUrl(contentId: string, rightsUrl: string, expiresAt?: Date, kids?: readonly string[]): RightsInfo;
  /** Removes every filter and listener, aborts in-flight token requests, restores the DRM config, disposes an owned client. */
  detach(): void;
}

/**
 * Configures `player` for ExpressPlay and hooks the license pipeline. Resolves once detection is done.
 *
 * Await it before `player.load()`: Shaka copies its DRM configuration when a
 * load starts. It sets `drm.servers` (a placeholder the request filter always
 * replaces), `drm.advanced` (robustness from detection, the FairPlay
 * certificate), `drm.preferredKeySystems`, and `drm.retryParameters.maxAttempts`
 * of at least 2 (the token refresh needs one retry from Shaka). At each
 * `loading` event it starts the token fetch for that load's content id, in
 * parallel with the manifest. A license refused for its token (-4010 / 401 /
 * 403) gets one fresh token, shared by every session, on Shaka's own retry.
 *
 * How keys are chosen: each license request's key ids come from its session's
 * initData (`request.initData`: cenc pssh, keyids, webm), or for ClearKey from the
 * license request itself; `request.drmInfo.keyIds` is not used, as Shaka merges every
 * stream's key ids into it. The request goes to the token for those key ids (token
 * client: one per drm, content and key-id set). Single-key content uses the token
 * fetched at `loading` (the back end answers a request without `kids` with the
 * content's one key); multi-key content, whose back end answers that request -4018,
 * gets one token per key when each key's session starts (an SD→HD switch: then).
 * A session asking for several key ids at once fails with -9045. Every failed license
 * request is reported as `expressplay:error` with its `kids`, also where Shaka, with
 * several sessions, drops a failed one silently.
 * Events `expressplay:*` are dispatched on the player; errors also reach Shaka's
 * `error` event with the `ExpressPlayError` in the Shaka error's `data`
 * (see {@link expressPlayErrorOf}).
 *
 * @param player - an attached `shaka.Player`; only types of shaka-player are imported.
 * @returns the handle; call `detach()` to undo everything.
 * @throws `ExpressPlayError` -9001 when the player has no networking
 * engine (destroyed); -9030 when no DRM is supported here; -9040 when FairPlay is
 * chosen without `options.fairplay.certificate`, and the certificate's own errors
 * (see `getFairPlayCertificate`); the errors of `createTokenClient`. An owned
 * token client is disposed when it throws.
 *
 * @example
 * ```ts
 * const player = new shaka.Player();
 * await player.attach(video);
 * const ep = await attachExpressPlay(player, {
 *   token: { endpoint: '/api/expressplay-token' },
 *   contentId: 'movie-42',
 *   fairplay: { certificate: '/fairplay.cer' },
 * });
 * player.addEventListener('expressplay:error', (e) => console.error(e));
 * await player.load('https://cdn.example.com/movie-42/manifest.mpd');
 * // later: ep.detach();
 * ```
 */
export async function attachExpressPlay(
  player: shaka.Player,
  options: ShakaExpressPlayOptions,
): Promise<ShakaExpressPlay> {
  const net = player.getNetworkingEngine();
  if (!net)
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'the Shaka player has no networking engine (destroyed?)',
    });
  const events = new ShakaEvents(player, () => options.shaka ?? (globalThis as { shaka?: ShakaNamespace }).shaka);
  const token = tokenClientFor(options.token, events);
  const { client } = token;
  try {
    const device = await detectDevice(options, events);
    const controller = new ShakaController(player, net, options, events, token, device);
    controller.attach();
    const { support } = device;
    return {
      profile: device.profile,
      support,
      tokenClient: client,
      prefetch: (contentId, kids) => client.prefetch(tokenContext(support, contentId, kids)),
      setRightsUrl: (contentId, rightsUrl, expiresAt, kids) =>
        client.setRightsUrl(tokenContext(support, contentId, kids), rightsUrl, expiresAt),
      detach: () => controller.detach(),
    };
  } catch (err) {
    if (token.owned) client.dispose();
    throw err;
  }
}
