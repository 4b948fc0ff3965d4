// How the adapter's failures reach Video.js: as `player.error()` with MediaError
// code 5 and the typed error on it, whether the adapter reports them itself or
// contrib-eme does (through Video.js's `beforeerror` hook).

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError, type Drm } from '../core/errors.js';
import type { VjsErrorInit, VjsPlayer } from './types.js';

/** MediaError code Video.js shows as "The media is encrypted and we do not have the keys". */
const MEDIA_ERR_ENCRYPTED = 5;

/**
 * The value handed to `player.error()`: Video.js copies every field onto its MediaError.
 * Code 5 (`MEDIA_ERR_ENCRYPTED`), the error's message, the typed error as
 * `expressplay`, and `metadata` with its code, status and category.
 *
 * @param emeMetadata - contrib-eme's own metadata (`errorType`, `keySystem`), kept as `metadata.eme`.
 */
export function typedError(error: ExpressPlayError, emeMetadata?: unknown): VjsErrorInit {
  return {
    code: MEDIA_ERR_ENCRYPTED,
    message: error.message,
    expressplay: error,
    metadata: {
      errorType: 'expressplay',
      code: error.code,
      httpStatus: error.httpStatus,
      category: error.category,
      expressplay: error,
      ...(emeMetadata === undefined ? {} : { eme: emeMetadata }), // contrib-eme's own errorType and keySystem
    },
  };
}

/**
 * A `beforeerror` hook: contrib-eme reports every failure as `player.error({ code: 5, originalError })`;
 * this puts our typed error where apps look for it, without a second error event of our own.
 * contrib-eme 5.0 passes on only `{ code: 5, message }`: the error we handed it (`handedToEme`) is matched by its message.
 */
export function beforeErrorHook(
  handedToEme: (player: VjsPlayer) => ExpressPlayError | undefined,
): (player: VjsPlayer, err: unknown) => unknown {
  return (player, err) => {
    const eme =
      typeof err === 'object' && err !== null
        ? (err as { originalError?: unknown; metadata?: unknown; code?: unknown; message?: unknown })
        : {};
    if (isExpressPlayError(eme.originalError)) return typedError(eme.originalError, eme.metadata);
    const handed = handedToEme(player);
    return handed &&
      eme.originalError === undefined &&
      eme.code === MEDIA_ERR_ENCRYPTED &&
      eme.message === handed.message
      ? typedError(handed)
      : err;
  };
}

/** Any failure as a typed error (a foreign one as -9043, license rejected, with it as the cause). */
export function asError(e: unknown, drm?: Drm): ExpressPlayError {
  if (isExpressPlayError(e)) return e;
  const details = e instanceof Error ? e.message : String(e);
  return new ExpressPlayError(ClientCode.LICENSE_REJECTED, { details, drm, cause: e });
}
