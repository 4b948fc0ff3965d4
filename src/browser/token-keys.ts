// What the token client keys its entries by: drm, content and key-id set, with
// the key ids in one spelling, so two sessions asking for the same key share one
// token whatever order or case their key ids came in.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError } from '../core/errors.js';
import { normalizeKeyIds } from './key-ids.js';
import type { TokenContext } from './types/token-client.js';

/** Throws -9001 for a context without `drm` or a non-empty `contentId`. */
export function checkContext(context: TokenContext): void {
  if (
    typeof context !== 'object' ||
    context === null ||
    typeof context.drm !== 'string' ||
    typeof context.contentId !== 'string' ||
    context.contentId === ''
  ) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'a token context needs drm and a non-empty contentId',
    });
  }
}

/** The context with its key ids in one spelling (lower-case, sorted, unique), or none. */
export function normalized(context: TokenContext): TokenContext {
  if (!context.kids || context.kids.length === 0) {
    if (!('kids' in context)) return context;
    const { kids: _none, ...rest } = context;
    return rest;
  }
  return { ...context, kids: normalizeKeyIds(context.kids) };
}

/** The cache key: drm, content and key-id set (empty: the content's only key). */
export function keyOf(context: TokenContext): string {
  return `${context.drm}\u0000${context.contentId}\u0000${(context.kids ?? []).join(',')}`;
}

/** The cache key of the content's token asked for without key ids (also the prefix of its per-key keys). */
export function contentKeyOf(context: TokenContext): string {
  return `${context.drm}\u0000${context.contentId}\u0000`;
}
