// PlayReady's key-message unwrapping (playready.ts), which only PlayReady devices (Edge
// on Windows) run: loaded with import() when detection picks PlayReady, so the ESM
// entry leaves it out. `playReadyRequest` is synchronous and needs it loaded already:
// the adapter's detection (detectDrmWithItsCode with `loadPlayReadyCode`) does that.

import { onDemand } from '../browser/on-demand.js';
import type * as PlayReadyModule from './playready.js';

type PlayReadyCode = typeof PlayReadyModule;

const playReadyCode = onDemand<PlayReadyCode>('playready', () => import('./playready.js'));

/** Loads PlayReady's code once per page (-9010 when its chunk cannot be fetched). */
export const loadPlayReadyCode = (): Promise<void> => playReadyCode.load().then(() => undefined);

export const playReadyRequest: PlayReadyCode['playReadyRequest'] = (...args) =>
  playReadyCode.get().playReadyRequest(...args);
