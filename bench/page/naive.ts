// The naive integrations, written the way the players' own auth tutorials
// teach, without this library: the token is fetched when the player asks for a
// license — Shaka's "License Server Authentication" tutorial (an async request
// filter) and contrib-eme's `getLicense` callback. The token round trip is
// therefore serialised behind the manifest, init segment and key request.

import type shaka from 'shaka-player';

const LICENSE = 2; // shaka.net.NetworkingEngine.RequestType.LICENSE

interface TokenAnswer {
  rightsUrl: string;
}

async function fetchRightsUrl(tokenEndpoint: string, contentId: string): Promise<string> {
  const r = await fetch(`${tokenEndpoint}?drm=clearkey&contentId=${encodeURIComponent(contentId)}`, {
    headers: { accept: 'application/json' },
  });
  if (!r.ok) throw new Error(`token endpoint: HTTP ${r.status}`);
  return ((await r.json()) as TokenAnswer).rightsUrl;
}

export function naiveShaka(player: shaka.Player, tokenEndpoint: string, contentId: string): void {
  // Shaka needs a license server configured to pick the key system; the filter replaces it.
  player.configure({ drm: { servers: { 'org.w3.clearkey': `${location.origin}/placeholder-license` } } });
  player.getNetworkingEngine()!.registerRequestFilter(async (type, request) => {
    if (type !== LICENSE) return;
    request.uris = [await fetchRightsUrl(tokenEndpoint, contentId)];
  });
}

type Callback = (err: unknown, license?: Uint8Array) => void;

export function naiveVideoJs(tokenEndpoint: string, contentId: string): Record<string, unknown> {
  return {
    'org.w3.clearkey': {
      getLicense(_emeOptions: unknown, keyMessage: ArrayBuffer, callback: Callback) {
        fetchRightsUrl(tokenEndpoint, contentId)
          .then((rightsUrl) =>
            fetch(rightsUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/octet-stream' },
              body: keyMessage,
            }),
          )
          .then(async (r) => {
            if (!r.ok) throw new Error(`license: HTTP ${r.status}`);
            callback(null, new Uint8Array(await r.arrayBuffer()));
          })
          .catch((err: unknown) => callback(err));
      },
    },
  };
}

/** hls.js's own hook, as its docs show: the token fetched in `licenseXhrSetup`, then the XHR opened on the rights URL. */
export function naiveHlsConfig(tokenEndpoint: string, contentId: string): Record<string, unknown> {
  return {
    emeEnabled: true,
    drmSystems: { 'org.w3.clearkey': { licenseUrl: `${location.origin}/placeholder-license` } },
    async licenseXhrSetup(xhr: XMLHttpRequest) {
      xhr.open('POST', await fetchRightsUrl(tokenEndpoint, contentId), true);
    },
  };
}

interface DashLicenseRequest {
  url: string;
}

/** dash.js's license request filter, as its docs show: the token fetched when the license request is made. */
export function naiveDashFilter(
  tokenEndpoint: string,
  contentId: string,
): (request: DashLicenseRequest) => Promise<void> {
  return async (request) => {
    request.url = await fetchRightsUrl(tokenEndpoint, contentId);
  };
}
