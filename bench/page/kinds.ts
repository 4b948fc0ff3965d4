// Request classification and the counters' shape, shared by the init script
// (instrument.ts) and the page harness (main.ts). No side effects: importing it
// must not install the instrumentation a second time.

export type RequestKind = 'token' | 'license' | 'certificate' | 'media' | 'other';

export interface BenchCounts {
  token: number;
  license: number;
  certificate: number;
  media: number;
  other: number;
  /**
   * EME capability probes, all callers: navigator.requestMediaKeySystemAccess
   * calls plus navigator.mediaCapabilities.decodingInfo calls that carry a
   * keySystemConfiguration (Shaka 4+ probes that way).
   */
  emeProbes: number;
  /** Of which made by this library's detectDrm (counted through its `environment` hook, see main.ts). */
  emeProbesOurs: number;
}

declare global {
  interface Window {
    __benchCounts: BenchCounts;
    __benchResetCounts: () => void;
  }
}

export function kindOf(url: string): RequestKind {
  if (url.includes('/api/token')) return 'token';
  if (/\/hms\/(wv|fp|pr)\/rights/.test(url)) return 'license';
  if (url.includes('/cert')) return 'certificate';
  if (url.includes('/test/media/')) return 'media';
  return 'other';
}
