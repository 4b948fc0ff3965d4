// Injected before any page script (playwright addInitScript): counts what each
// playback costs — token requests, license requests, certificate fetches, media
// requests and EME probes — whoever makes them (our code, the player, the naive
// integration). Shaka uses fetch, Video.js (VHS, contrib-eme) uses XHR: both are wrapped.

import { kindOf, type BenchCounts } from './kinds.js';

export type { BenchCounts } from './kinds.js';

function zero(): BenchCounts {
  return { token: 0, license: 0, certificate: 0, media: 0, other: 0, emeProbes: 0, emeProbesOurs: 0 };
}

function install(): void {
  window.__benchCounts = zero();
  window.__benchResetCounts = () => {
    window.__benchCounts = zero();
  };
  const originalFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    window.__benchCounts[kindOf(url)] += 1;
    return originalFetch(input, init);
  };
  const open = XMLHttpRequest.prototype.open;
  // Counted at open(): VHS and contrib-eme open each request once.
  XMLHttpRequest.prototype.open = function (
    this: XMLHttpRequest,
    method: string,
    url: string | URL,
    ...rest: unknown[]
  ) {
    window.__benchCounts[kindOf(String(url))] += 1;
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof XMLHttpRequest.prototype.open;
  const rmksa = navigator.requestMediaKeySystemAccess?.bind(navigator);
  if (rmksa) {
    navigator.requestMediaKeySystemAccess = (keySystem: string, configs: MediaKeySystemConfiguration[]) => {
      window.__benchCounts.emeProbes += 1;
      return rmksa(keySystem, configs);
    };
  }
  const mc = navigator.mediaCapabilities;
  const decodingInfo = mc?.decodingInfo?.bind(mc);
  if (mc && decodingInfo) {
    mc.decodingInfo = (config: MediaDecodingConfiguration) => {
      if ((config as MediaDecodingConfiguration & { keySystemConfiguration?: unknown }).keySystemConfiguration)
        window.__benchCounts.emeProbes += 1;
      return decodingInfo(config);
    };
  }
}

install();
