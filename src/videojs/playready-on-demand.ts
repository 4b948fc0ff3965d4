// PlayReady's key-message unwrapping (playready.ts), which only PlayReady devices (Edge
// on Windows) run: loaded with import() so that the ESM entry leaves it out. The
// adapter's detection starts loading it when it picks PlayReady (detectDrmWithItsCode
// with `loadPlayReadyCode`), in parallel with the manifest; the first license request
// waits for it only if it has not arrived yet.

import { onDemand } from '../browser/on-demand.js';
import type * as PlayReadyModule from './playready.js';

type PlayReadyCode = typeof PlayReadyModule;

const playReadyCode = onDemand<PlayReadyCode>('playready', () => import('./playready.js'), 'playready');

/** Loads PlayReady's code once per page (-9010 when its chunk cannot be fetched). */
export const loadPlayReadyCode = (): Promise<void> => playReadyCode.load().then(() => undefined);

/** {@link PlayReadyModule.playReadyRequest}, once PlayReady's code is loaded. */
export const playReadyRequest = async (
  ...args: Parameters<PlayReadyCode['playReadyRequest']>
): Promise<ReturnType<PlayReadyCode['playReadyRequest']>> => (await playReadyCode.load()).playReadyRequest(...args);
