// The page's own EME entry points, as detection and FairPlay use them unless the
// app passes its own (tests, iframes).

import type { EmeEnvironment } from './types/environment.js';

/** `navigator.requestMediaKeySystemAccess` (bound) and `WebKitMediaKeys`, each only where the page has it. */
export function pageEnvironment(): EmeEnvironment {
  const env: EmeEnvironment = {};
  const nav = globalThis.navigator as Navigator | undefined;
  // Missing outside secure contexts and on browsers without EME.
  if (nav && typeof nav.requestMediaKeySystemAccess === 'function')
    env.requestMediaKeySystemAccess = nav.requestMediaKeySystemAccess.bind(nav);
  const WebKit = (globalThis as unknown as Window).WebKitMediaKeys;
  if (WebKit) env.WebKitMediaKeys = WebKit;
  return env;
}
