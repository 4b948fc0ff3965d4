// What DRM this device can play, asked of EME itself. Every key system is probed
// in parallel and each with ONE requestMediaKeySystemAccess call whose
// capability list holds the whole robustness ladder × encryption schemes ×
// content types: EME answers with the subset it supports, so the best level and
// the schemes come out of a single round trip to the CDM. Session types and
// HDCP are asked in parallel with it / right after it.

import type { Drm } from '../core/errors.js';
import { KeySystem, LEGACY_FAIRPLAY_KEY_SYSTEMS } from '../core/key-systems.js';
import type { SecurityLevel } from '../core/params.js';
import { pageEnvironment } from './environment.js';
import { probeHdcp } from './hdcp.js';
import type { DetectDrmOptions, DrmProfile, EncryptionScheme, KeySystemSupport } from './types/detection.js';
import type { EmeEnvironment } from './types/environment.js';

/** Video content types probed by default: H.264 Baseline in MP4. */
export const DEFAULT_VIDEO_CONTENT_TYPES = ['video/mp4; codecs="avc1.42E01E"'] as const;
/** Audio content types probed by default: AAC-LC in MP4. */
export const DEFAULT_AUDIO_CONTENT_TYPES = ['audio/mp4; codecs="mp4a.40.2"'] as const;
/** Encryption schemes probed by default. */
export const DEFAULT_SCHEMES: readonly EncryptionScheme[] = ['cenc', 'cbcs'];
// Default cap on each EME call of detection (`probeTimeoutMs`), in ms.
const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** Widevine robustness, best first, with the seed's securityLevel for each. */
export const WIDEVINE_LADDER: ReadonlyArray<readonly [string, SecurityLevel]> = [
  ['HW_SECURE_ALL', 5],
  ['HW_SECURE_DECODE', 4],
  ['HW_SECURE_CRYPTO', 3],
  ['SW_SECURE_DECODE', 2],
  ['SW_SECURE_CRYPTO', 1],
];
const PLAYREADY_LADDER = ['3000', '2000', '150'] as const;

/** The EME key system strings probed for each DRM (PlayReady: hardware SL3000 first, then software, then the legacy name). */
export const KEY_SYSTEMS = {
  /** Widevine. */
  widevine: KeySystem.WIDEVINE,
  /** PlayReady SL3000 (hardware). */
  playreadyHardware: KeySystem.PLAYREADY_HARDWARE,
  /** PlayReady (recommendation key system). */
  playready: KeySystem.PLAYREADY,
  /** PlayReady's older key system name (legacy Edge). */
  playreadyLegacy: KeySystem.PLAYREADY_LEGACY,
  /** FairPlay through standard EME. */
  fairplay: KeySystem.FAIRPLAY,
  /** ClearKey (development stand-in). */
  clearkey: KeySystem.CLEARKEY,
} as const;
// Part of the browser layer's public API since before the key systems moved to core.
export { LEGACY_FAIRPLAY_KEY_SYSTEMS };

interface ProbeSettings {
  video: readonly string[];
  audio: readonly string[];
  schemes: readonly EncryptionScheme[];
  hdcp: boolean;
  timeoutMs: number;
  env: EmeEnvironment;
}

interface KeySystemPlan {
  drm: Drm;
  keySystem: string;
  initDataTypes: string[];
  /** Robustness strings, best first; '' last as "anything at all". */
  robustness: readonly string[];
  /** What to report when the browser ignores `encryptionScheme`. */
  baselineSchemes: EncryptionScheme[];
}

function unsupported(drm: Drm): KeySystemSupport {
  return { drm, supported: false, hdcp: 'unknown', encryptionSchemes: [], sessionTypes: [] };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`EME did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function capabilities(
  types: readonly string[],
  robustness: readonly string[],
  schemes: readonly EncryptionScheme[],
): MediaKeySystemMediaCapability[] {
  const out: MediaKeySystemMediaCapability[] = [];
  for (const r of robustness)
    for (const encryptionScheme of schemes)
      for (const contentType of types) out.push({ contentType, robustness: r, encryptionScheme });
  return out;
}

function config(plan: KeySystemPlan, s: ProbeSettings): MediaKeySystemConfiguration {
  const c: MediaKeySystemConfiguration = {
    initDataTypes: plan.initDataTypes,
    distinctiveIdentifier: 'optional',
    persistentState: 'optional',
    sessionTypes: ['temporary'],
    videoCapabilities: capabilities(s.video, plan.robustness, s.schemes),
  };
  if (s.audio.length > 0) c.audioCapabilities = capabilities(s.audio, plan.robustness, s.schemes);
  return c;
}

function persistentConfig(plan: KeySystemPlan, s: ProbeSettings): MediaKeySystemConfiguration {
  // The lowest real level: the question is only "persistent licenses at all?".
  const lowest = plan.robustness.filter((r) => r !== '').at(-1) ?? '';
  return {
    initDataTypes: plan.initDataTypes,
    persistentState: 'required',
    sessionTypes: ['persistent-license'],
    videoCapabilities: s.video.map((contentType) => ({ contentType, robustness: lowest })),
  };
}

/** Best first in `ladder` among the robustness strings the browser returned. */
function best(
  returned: readonly MediaKeySystemMediaCapability[] | undefined,
  ladder: readonly string[],
): string | undefined {
  const got = new Set((returned ?? []).map((c) => c.robustness ?? ''));
  return ladder.find((r) => r !== '' && got.has(r));
}

async function probeEme(plan: KeySystemPlan, s: ProbeSettings): Promise<KeySystemSupport> {
  const request = s.env.requestMediaKeySystemAccess;
  if (!request) return unsupported(plan.drm);
  const ask = (c: MediaKeySystemConfiguration) => withTimeout(request(plan.keySystem, [c]), s.timeoutMs);
  const persistent = ask(persistentConfig(plan, s)).then(
    () => true,
    () => false,
  );
  let access: MediaKeySystemAccess;
  try {
    access = await ask(config(plan, s));
  } catch {
    await persistent;
    return unsupported(plan.drm);
  }
  const got = access.getConfiguration();
  const all = [...(got.videoCapabilities ?? []), ...(got.audioCapabilities ?? [])];
  const honoured = all.some((c) => typeof c.encryptionScheme === 'string');
  const schemes = honoured ? s.schemes.filter((x) => all.some((c) => c.encryptionScheme === x)) : plan.baselineSchemes;
  const result: KeySystemSupport = {
    drm: plan.drm,
    supported: true,
    keySystem: access.keySystem || plan.keySystem,
    api: 'eme',
    hdcp: 'unknown',
    encryptionSchemes: schemes,
    encryptionSchemesSource: honoured ? 'probed' : 'assumed',
    sessionTypes: ['temporary'],
  };
  const video = best(got.videoCapabilities, plan.robustness);
  const audio = best(got.audioCapabilities, plan.robustness);
  if (video !== undefined) result.videoRobustness = video;
  if (audio !== undefined) result.audioRobustness = audio;
  if (plan.drm === 'widevine') {
    const level = (r: string | undefined) => WIDEVINE_LADDER.find(([name]) => name === r)?.[1];
    const v = level(video);
    const a = level(audio);
    if (v !== undefined) result.securityLevel = v;
    if (a !== undefined) result.audioSecurityLevel = a;
  }
  // ClearKey has no output protection to report (see DetectOptions.hdcp).
  const [hdcp, hasPersistent] = await Promise.all([
    s.hdcp && plan.drm !== 'clearkey'
      ? withTimeout(
          access.createMediaKeys().then((keys) => probeHdcp(keys)),
          s.timeoutMs,
        ).catch(() => ({ hdcp: 'unknown' as const, version: undefined }))
      : Promise.resolve({ hdcp: 'unknown' as const, version: undefined }),
    persistent,
  ]);
  result.hdcp = hdcp.hdcp;
  if (hdcp.version !== undefined) result.hdcpVersion = hdcp.version;
  if (hasPersistent) result.sessionTypes.push('persistent-license');
  return result;
}

const plan = (
  drm: Drm,
  keySystem: string,
  initDataTypes: string[],
  robustness: readonly string[],
  baselineSchemes: EncryptionScheme[] = ['cenc'],
): KeySystemPlan => ({ drm, keySystem, initDataTypes, robustness, baselineSchemes });

async function probePlayReady(s: ProbeSettings): Promise<KeySystemSupport> {
  const ladder = [...PLAYREADY_LADDER, ''];
  const [hardware, recommendation, legacy] = await Promise.all([
    probeEme(plan('playready', KeySystem.PLAYREADY_HARDWARE, ['cenc'], ['3000', '']), s),
    probeEme(plan('playready', KeySystem.PLAYREADY, ['cenc'], ladder), s),
    probeEme(plan('playready', KeySystem.PLAYREADY_LEGACY, ['cenc'], ['']), s),
  ]);
  const chosen = recommendation.supported ? recommendation : hardware.supported ? hardware : legacy;
  if (!chosen.supported) return chosen;
  return { ...chosen, hardware: hardware.supported || chosen.videoRobustness === '3000' };
}

function probeLegacyFairPlay(s: ProbeSettings): KeySystemSupport {
  const WebKit = s.env.WebKitMediaKeys;
  if (!WebKit || typeof WebKit.isTypeSupported !== 'function') return unsupported('fairplay');
  for (const ks of LEGACY_FAIRPLAY_KEY_SYSTEMS) {
    let ok = false;
    try {
      ok = WebKit.isTypeSupported(ks, 'video/mp4');
    } catch {
      ok = false;
    }
    if (ok) {
      // The legacy API has no HDCP query and no scheme query: FairPlay is cbcs by definition.
      return {
        drm: 'fairplay',
        supported: true,
        keySystem: ks,
        api: 'webkit-legacy',
        hdcp: 'unknown',
        encryptionSchemes: ['cbcs'],
        encryptionSchemesSource: 'assumed',
        sessionTypes: ['temporary'],
      };
    }
  }
  return unsupported('fairplay');
}

async function probeFairPlay(s: ProbeSettings): Promise<KeySystemSupport> {
  const modern = await probeEme(plan('fairplay', KeySystem.FAIRPLAY, ['sinf', 'skd', 'cenc'], [''], ['cbcs']), s);
  return modern.supported ? modern : probeLegacyFairPlay(s);
}

function defaultPreference(options: DetectDrmOptions): readonly Drm[] {
  return (
    options.preference ??
    (options.includeClearKey
      ? ['widevine', 'playready', 'fairplay', 'clearkey']
      : ['widevine', 'playready', 'fairplay'])
  );
}

/**
 * Resolves with every probe's answer as soon as the rest cannot change the
 * preferred DRM: a supported DRM comes before every DRM of `preference` still
 * pending (or no DRM of `preference` is pending). What has not answered by then
 * is reported unsupported with `pending: true`. A key system whose CDM never
 * answers (Firefox's Widevine before its CDM is installed) thus costs nothing
 * unless it is preferred over every supported one.
 */
function settleEarly(
  probes: ReadonlyMap<Drm, Promise<KeySystemSupport>>,
  preference: readonly Drm[],
): Promise<Map<Drm, KeySystemSupport>> {
  const answers = new Map<Drm, KeySystemSupport>();
  const decided = (): boolean => {
    for (const drm of preference) {
      if (!probes.has(drm)) continue;
      const answer = answers.get(drm);
      if (!answer) return false;
      if (answer.supported) return true;
    }
    return true;
  };
  return new Promise((resolve) => {
    const finish = () => {
      const out = new Map<Drm, KeySystemSupport>();
      for (const drm of probes.keys()) out.set(drm, answers.get(drm) ?? { ...unsupported(drm), pending: true });
      resolve(out);
    };
    let left = probes.size;
    if (left === 0 || decided()) return finish();
    for (const [drm, probe] of probes) {
      void probe.then((answer) => {
        answers.set(drm, answer);
        left--;
        if (left === 0 || decided()) finish();
      });
    }
  });
}

async function probeAll(options: DetectDrmOptions): Promise<DrmProfile> {
  const started = performance.now();
  const s: ProbeSettings = {
    video: options.videoContentTypes ?? DEFAULT_VIDEO_CONTENT_TYPES,
    audio: options.audioContentTypes ?? DEFAULT_AUDIO_CONTENT_TYPES,
    schemes: options.encryptionSchemes ?? DEFAULT_SCHEMES,
    hdcp: options.hdcp ?? true,
    timeoutMs: options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    env: options.environment ?? pageEnvironment(),
  };
  const probes = new Map<Drm, Promise<KeySystemSupport>>([
    ['widevine', probeEme(plan('widevine', KeySystem.WIDEVINE, ['cenc'], [...WIDEVINE_LADDER.map(([r]) => r), '']), s)],
    ['playready', probePlayReady(s)],
    ['fairplay', probeFairPlay(s)],
  ]);
  if (options.includeClearKey)
    probes.set('clearkey', probeEme(plan('clearkey', KeySystem.CLEARKEY, ['keyids', 'cenc', 'webm'], ['']), s));
  const preference = defaultPreference(options);
  const answers = await settleEarly(probes, preference);
  const profile: DrmProfile = {
    widevine: answers.get('widevine')!,
    playready: answers.get('playready')!,
    fairplay: answers.get('fairplay')!,
    durationMs: 0,
  };
  const clearkey = answers.get('clearkey');
  if (clearkey) profile.clearkey = clearkey;
  const preferred = preferredIn(profile, preference);
  if (preferred) profile.preferred = preferred;
  profile.durationMs = performance.now() - started;
  return profile;
}

/** The first supported DRM of `preference` in a profile. */
export function preferredIn(profile: DrmProfile, preference: readonly Drm[]): KeySystemSupport | undefined {
  for (const drm of preference) {
    const support = profile[drm];
    if (support?.supported) return support;
  }
  return undefined;
}

// Memo per page: per environment object (the page's own under a fixed key), then per options.
const PAGE = {};
const memo = new WeakMap<object, Map<string, Promise<DrmProfile>>>();

function memoKey(options: DetectDrmOptions): string {
  return JSON.stringify([
    options.preference ?? null,
    options.includeClearKey ?? false,
    options.videoContentTypes ?? null,
    options.audioContentTypes ?? null,
    options.hdcp ?? true,
    options.encryptionSchemes ?? null,
    options.probeTimeoutMs ?? null,
  ]);
}

/**
 * Probes what DRM this device supports. Memoized per page and options (a second
 * call is free); `refresh: true` probes again (e.g. after a display change, for HDCP).
 * Never rejects: a key system that fails to answer is reported unsupported.
 *
 * Each key system is asked with one `requestMediaKeySystemAccess` call carrying
 * the whole robustness ladder, so the best Widevine security level comes out of
 * one round trip to the CDM; HDCP is read with `getStatusForPolicy` where it
 * exists (`'unknown'` otherwise — never guessed). Each call is capped by
 * `probeTimeoutMs` (default 5000 ms), so a CDM
 * that never answers cannot hang start-up; a probe counts as unsupported when
 * it times out.
 *
 * Detection answers as soon as the pending probes cannot change `preferred`:
 * once a DRM earlier in `preference` than every still-pending one is supported.
 * Those not answered by then are reported `supported: false, pending: true`
 * (Firefox's `com.widevine.alpha` request never settles until Firefox has
 * installed its Widevine CDM: with `preference: ['clearkey']` or a supported
 * DRM ahead of Widevine, detection does not wait for it). Only when a pending
 * key system is preferred over every supported one does detection wait, up to
 * `probeTimeoutMs`.
 *
 * @returns the profile; `preferred` is the first supported DRM of `preference`.
 *
 * @example
 * ```ts
 * const profile = await detectDrm();
 * if (!profile.preferred) throw new Error('no DRM here');
 * console.log(profile.preferred.drm, profile.widevine.securityLevel, profile.widevine.hdcp);
 * ```
 */
export function detectDrm(options: DetectDrmOptions = {}): Promise<DrmProfile> {
  const envKey = options.environment ?? PAGE;
  let perEnv = memo.get(envKey);
  if (!perEnv) memo.set(envKey, (perEnv = new Map()));
  const key = memoKey(options);
  const cached = perEnv.get(key);
  if (cached && !options.refresh) return cached;
  const probe = probeAll(options);
  perEnv.set(key, probe);
  probe.catch(() => {
    if (perEnv.get(key) === probe) perEnv.delete(key);
  });
  return probe;
}
