// HDCP capability from MediaKeys.getStatusForPolicy (EME "HDCP Policy Check").
// The seed's hdcpOutputControl has three values: 0 none, 1 v1, 2 v2. Where the
// API is missing or does not answer, the result is 'unknown' — never a guess,
// because a wrong guess either blocks playback or asks for a weaker policy.

import type { HdcpSupport } from './types/detection.js';

/** Every version string the HDCP policy check defines, lowest first. */
export const HDCP_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0', '2.1', '2.2', '2.3'] as const;

interface PolicyCapableMediaKeys {
  getStatusForPolicy?: (policy: { minHdcpVersion?: string }) => Promise<MediaKeyStatus>;
}

export interface HdcpResult {
  hdcp: HdcpSupport;
  /** Highest version reported usable. */
  version?: string;
}

/** Asks about every version in parallel; maps the highest usable one to 0/1/2. */
export async function probeHdcp(mediaKeys: MediaKeys): Promise<HdcpResult> {
  const keys = mediaKeys as MediaKeys & PolicyCapableMediaKeys;
  if (typeof keys.getStatusForPolicy !== 'function') return { hdcp: 'unknown' };
  const answers = await Promise.all(
    HDCP_VERSIONS.map((v) =>
      keys.getStatusForPolicy!({ minHdcpVersion: v }).then(
        (status) => status,
        () => undefined,
      ),
    ),
  );
  let answered = false;
  let best: string | undefined;
  answers.forEach((status, i) => {
    // Only these two say something about the output; 'internal-error' and the like say nothing.
    if (status === 'usable' || status === 'output-restricted' || status === 'output-downscaled') answered = true;
    if (status === 'usable') best = HDCP_VERSIONS[i];
  });
  if (!answered) return { hdcp: 'unknown' };
  if (best === undefined) return { hdcp: 0 };
  return { hdcp: best.startsWith('2') ? 2 : 1, version: best };
}
