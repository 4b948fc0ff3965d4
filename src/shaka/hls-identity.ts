// HLS KEYFORMAT "identity" is Shaka's only ClearKey mapping in HLS, and it comes
// with a data: license URI that drm.servers cannot override. Shaka picks the
// request's scheme plugin before request filters run, so the filter's rights URL
// would go to the data: plugin (Shaka error 1004). Such licenses are pointed at
// the placeholder before DRM starts (manifestparsed precedes it); the filter then
// puts the rights URL in, and the key comes from the rights server only.

import type shaka from 'shaka-player';
import { PLACEHOLDER_SERVER } from '../browser/allowlist.js';
import { KeySystem } from '../core/key-systems.js';

/** Re-points the parsed HLS manifest's `data:` ClearKey licenses at the placeholder (ClearKey + HLS only). */
export function repointIdentityLicenses(player: shaka.Player, keySystem: string): void {
  // getManifest() logs Shaka's no-semver warning: hence HLS + ClearKey only.
  if (keySystem !== KeySystem.CLEARKEY || player.getManifestType() !== 'HLS') return;
  for (const variant of player.getManifest()?.variants ?? []) {
    for (const stream of [variant.video, variant.audio]) {
      for (const info of stream?.drmInfos ?? []) {
        if (info.keySystem === keySystem && info.licenseServerUri.startsWith('data:'))
          info.licenseServerUri = PLACEHOLDER_SERVER;
      }
    }
  }
}
