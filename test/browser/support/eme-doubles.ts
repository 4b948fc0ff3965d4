// Scripted EME test doubles: devices Chromium is not (Widevine L1, HDCP 1.x-only,
// Safari with the legacy WebKit FairPlay API, no EME at all). They follow the EME
// algorithms closely enough to be honest stand-ins:
// - requestMediaKeySystemAccess walks the configurations in order and returns the
//   first satisfiable one with ONLY the supported capabilities (robustness,
//   content type, encryptionScheme), as "Get Supported Capabilities" does;
// - MediaKeys.getStatusForPolicy compares minHdcpVersion with the device's HDCP;
// - sessions fire `message` after generateRequest, update() changes keyStatuses and
//   fires `keystatuseschange`;
// - the legacy WebKitMediaKeys fires `webkitkeymessage`/`webkitkeyadded`/`webkitkeyerror`.
// Every call is recorded for the tests' assertions.

import type { EmeEnvironment } from '../../../src/browser/types/environment.js';
import { concatBytes } from '../../../src/core/encoding.js';

export interface DoubleKeySystem {
  /** Named robustness strings the CDM grants for video / audio ('' — no requirement — is always granted). */
  videoRobustness: readonly string[];
  audioRobustness: readonly string[];
  /** Supported schemes, or 'ignores-field' for a browser that drops `encryptionScheme` (pre-2021). */
  encryptionSchemes: readonly string[] | 'ignores-field';
  initDataTypes: readonly string[];
  sessionTypes: readonly MediaKeySessionType[];
  /** Highest usable HDCP version ('1.4', '2.2'), 'none' (no HDCP output), 'no-api' (no getStatusForPolicy), 'throws'. */
  hdcp: string;
  /** Content types the device decodes (default: H.264/AAC in MP4, HLS). */
  contentTypes?: readonly RegExp[];
  /** The session's `message` (challenge / SPC) for an initData; default `SPC:` + initData. */
  challenge?: (initDataType: string, initData: Uint8Array, serverCertificate: Uint8Array | undefined) => Uint8Array;
  /** Checks a license given to update(); throw to reject it. Returns the key ids it grants. */
  acceptLicense?: (license: Uint8Array, session: DoubleSession) => Uint8Array[] | Promise<Uint8Array[]>;
}

export interface DoubleDevice {
  keySystems: Readonly<Record<string, DoubleKeySystem>>;
  /** Legacy WebKit key systems (`com.apple.fps.1_0`) and their behaviour. */
  webkit?: Readonly<Record<string, Pick<DoubleKeySystem, 'challenge' | 'acceptLicense'>>>;
}

export interface EmeLog {
  accessCalls: Array<{ keySystem: string; configurations: MediaKeySystemConfiguration[] }>;
  policyCalls: string[];
  certificates: Uint8Array[];
  sessions: DoubleSession[];
  legacySessions: DoubleWebKitSession[];
  legacyInitData: Uint8Array[];
  updates: Uint8Array[];
}

const DEFAULT_TYPES = [/^video\/mp4/i, /^audio\/mp4/i, /^application\/vnd\.apple\.mpegurl/i];
const HDCP_ORDER = ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0', '2.1', '2.2', '2.3'];

function notSupported(message: string): DOMException {
  return new DOMException(message, 'NotSupportedError');
}

function bytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
    : new Uint8Array(data).slice();
}

const SPC_PREFIX = new TextEncoder().encode('SPC:');
function defaultChallenge(_type: string, initData: Uint8Array): Uint8Array {
  return concatBytes(SPC_PREFIX, initData);
}

/** Filters capabilities as the EME "Get Supported Capabilities for Audio/Video Type" algorithm does. */
function supportedCapabilities(
  ks: DoubleKeySystem,
  caps: readonly MediaKeySystemMediaCapability[],
  robustness: readonly string[],
): MediaKeySystemMediaCapability[] {
  const types = ks.contentTypes ?? DEFAULT_TYPES;
  const out: MediaKeySystemMediaCapability[] = [];
  for (const cap of caps) {
    const r = cap.robustness ?? '';
    if (r !== '' && !robustness.includes(r)) continue;
    if (!types.some((t) => t.test(cap.contentType ?? ''))) continue;
    if (ks.encryptionSchemes === 'ignores-field') {
      // An older browser does not know the member: it is neither checked nor returned.
      const { encryptionScheme: _dropped, ...rest } = cap;
      out.push(rest);
      continue;
    }
    if (cap.encryptionScheme != null && !ks.encryptionSchemes.includes(cap.encryptionScheme)) continue;
    out.push({ ...cap });
  }
  return out;
}

function satisfy(ks: DoubleKeySystem, c: MediaKeySystemConfiguration): MediaKeySystemConfiguration | undefined {
  const initDataTypes = (c.initDataTypes ?? []).filter((t) => ks.initDataTypes.includes(t));
  if ((c.initDataTypes ?? []).length > 0 && initDataTypes.length === 0) return undefined;
  const sessionTypes = c.sessionTypes ?? ['temporary'];
  if (sessionTypes.some((t) => !(ks.sessionTypes as readonly string[]).includes(t))) return undefined;
  if (sessionTypes.includes('persistent-license') && c.persistentState === 'not-allowed') return undefined;
  const video = c.videoCapabilities ?? [];
  const audio = c.audioCapabilities ?? [];
  if (video.length === 0 && audio.length === 0) return undefined;
  const v = supportedCapabilities(ks, video, ks.videoRobustness);
  const a = supportedCapabilities(ks, audio, ks.audioRobustness);
  if (video.length > 0 && v.length === 0) return undefined;
  if (audio.length > 0 && a.length === 0) return undefined;
  return {
    label: c.label ?? '',
    initDataTypes,
    distinctiveIdentifier: c.distinctiveIdentifier === 'required' ? 'required' : 'not-allowed',
    persistentState: sessionTypes.includes('persistent-license')
      ? 'required'
      : c.persistentState === 'required'
        ? 'required'
        : 'not-allowed',
    sessionTypes,
    videoCapabilities: v,
    audioCapabilities: a,
  };
}

class DoubleKeyStatusMap {
  private readonly entries_: Array<[Uint8Array, MediaKeyStatus]> = [];
  get size(): number {
    return this.entries_.length;
  }
  set(kid: Uint8Array, status: MediaKeyStatus): void {
    const found = this.entries_.find(([k]) => k.length === kid.length && k.every((b, i) => b === kid[i]));
    if (found) found[1] = status;
    else this.entries_.push([kid, status]);
  }
  has(kid: BufferSource): boolean {
    return this.get(kid) !== undefined;
  }
  get(kid: BufferSource): MediaKeyStatus | undefined {
    const b = bytes(kid);
    return this.entries_.find(([k]) => k.length === b.length && k.every((x, i) => x === b[i]))?.[1];
  }
  forEach(cb: (status: MediaKeyStatus, kid: BufferSource, parent: MediaKeyStatusMap) => void): void {
    for (const [k, s] of this.entries_) cb(s, k.buffer as ArrayBuffer, this as unknown as MediaKeyStatusMap);
  }
  *[Symbol.iterator](): IterableIterator<[BufferSource, MediaKeyStatus]> {
    for (const [k, s] of this.entries_) yield [k.buffer as ArrayBuffer, s];
  }
}

export class DoubleSession extends EventTarget {
  readonly sessionId = `double-${Math.random().toString(36).slice(2)}`;
  expiration = NaN;
  readonly keyStatuses = new DoubleKeyStatusMap();
  initDataType: string | undefined;
  initData: Uint8Array | undefined;
  challenge: Uint8Array | undefined;
  closed: Promise<MediaKeySessionClosedReason>;
  isClosed = false;
  onkeystatuseschange: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MediaKeyMessageEvent) => void) | null = null;
  private resolveClosed!: (r: MediaKeySessionClosedReason) => void;

  constructor(
    private readonly ks: DoubleKeySystem,
    private readonly keys: DoubleMediaKeys,
    readonly sessionType: MediaKeySessionType,
    private readonly log: EmeLog,
  ) {
    super();
    this.closed = new Promise((r) => (this.resolveClosed = r));
    log.sessions.push(this);
  }

  async generateRequest(initDataType: string, initData: BufferSource): Promise<void> {
    if (this.isClosed) throw new DOMException('session closed', 'InvalidStateError');
    if (!this.ks.initDataTypes.includes(initDataType)) throw notSupported(`initDataType ${initDataType}`);
    this.initDataType = initDataType;
    this.initData = bytes(initData);
    this.challenge = (this.ks.challenge ?? defaultChallenge)(initDataType, this.initData, this.keys.serverCertificate);
    const message = this.challenge.slice().buffer;
    // The CDM answers asynchronously, after generateRequest() resolved.
    setTimeout(
      () => this.dispatchEvent(new MediaKeyMessageEvent('message', { messageType: 'license-request', message })),
      0,
    );
  }

  async update(response: BufferSource): Promise<void> {
    if (this.isClosed) throw new DOMException('session closed', 'InvalidStateError');
    const license = bytes(response);
    this.log.updates.push(license);
    const kids = this.ks.acceptLicense ? await this.ks.acceptLicense(license, this) : [new Uint8Array(16)];
    for (const kid of kids) this.keyStatuses.set(kid, 'usable');
    setTimeout(() => this.dispatchEvent(new Event('keystatuseschange')), 0);
  }

  async load(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.resolveClosed('closed-by-application');
  }

  async remove(): Promise<void> {
    await this.close();
  }
}

export class DoubleMediaKeys {
  serverCertificate: Uint8Array | undefined;
  getStatusForPolicy?: (policy?: { minHdcpVersion?: string }) => Promise<MediaKeyStatus>;

  constructor(
    private readonly ks: DoubleKeySystem,
    private readonly log: EmeLog,
  ) {
    if (ks.hdcp !== 'no-api') {
      this.getStatusForPolicy = async (policy = {}) => {
        const v = policy.minHdcpVersion;
        log.policyCalls.push(v ?? '');
        if (ks.hdcp === 'throws') throw notSupported('getStatusForPolicy');
        if (v === undefined) return 'usable';
        const asked = HDCP_ORDER.indexOf(v);
        if (asked < 0) throw new TypeError(`unknown HDCP version ${v}`);
        const have = ks.hdcp === 'none' ? -1 : HDCP_ORDER.indexOf(ks.hdcp);
        return asked <= have ? 'usable' : 'output-restricted';
      };
    }
  }

  createSession(sessionType: MediaKeySessionType = 'temporary'): DoubleSession {
    if (!this.ks.sessionTypes.includes(sessionType)) throw notSupported(`session type ${sessionType}`);
    return new DoubleSession(this.ks, this, sessionType, this.log);
  }

  async setServerCertificate(cert: BufferSource): Promise<boolean> {
    const b = bytes(cert);
    if (b.length === 0) throw new TypeError('empty certificate');
    this.serverCertificate = b;
    this.log.certificates.push(b);
    return true;
  }
}

export class DoubleWebKitSession extends EventTarget {
  readonly sessionId = `webkit-${Math.random().toString(36).slice(2)}`;
  error: { code: number; systemCode: number } | null = null;
  spc: Uint8Array;
  closed = false;

  constructor(
    readonly keySystem: string,
    readonly initData: Uint8Array,
    private readonly behaviour: Pick<DoubleKeySystem, 'challenge' | 'acceptLicense'>,
    private readonly log: EmeLog,
  ) {
    super();
    this.spc = (behaviour.challenge ?? defaultChallenge)('skd', initData, undefined);
    log.legacySessions.push(this);
    const message = this.spc.slice();
    setTimeout(() => {
      const ev = new Event('webkitkeymessage');
      Object.defineProperty(ev, 'message', { value: message });
      this.dispatchEvent(ev);
    }, 0);
  }

  update(key: Uint8Array): void {
    const license = bytes(key);
    this.log.updates.push(license);
    Promise.resolve()
      .then(() =>
        this.behaviour.acceptLicense ? this.behaviour.acceptLicense(license, this as unknown as DoubleSession) : [],
      )
      .then(
        () => this.dispatchEvent(new Event('webkitkeyadded')),
        () => {
          this.error = { code: 1, systemCode: -42 };
          this.dispatchEvent(new Event('webkitkeyerror'));
        },
      );
  }

  close(): void {
    this.closed = true;
  }
}

export interface DoubleEnvironment {
  environment: EmeEnvironment;
  log: EmeLog;
  /** Makes a real <video> use these doubles for setMediaKeys / webkitSetMediaKeys. */
  install(video: HTMLMediaElement): { mediaKeys(): unknown };
}

export function createEmeDoubles(device: DoubleDevice): DoubleEnvironment {
  const log: EmeLog = {
    accessCalls: [],
    policyCalls: [],
    certificates: [],
    sessions: [],
    legacySessions: [],
    legacyInitData: [],
    updates: [],
  };

  const requestMediaKeySystemAccess = async (
    keySystem: string,
    configurations: MediaKeySystemConfiguration[],
  ): Promise<MediaKeySystemAccess> => {
    log.accessCalls.push({ keySystem, configurations: structuredClone(configurations) });
    if (configurations.length === 0) throw new TypeError('empty configurations');
    const ks = Object.hasOwn(device.keySystems, keySystem) ? device.keySystems[keySystem] : undefined;
    if (!ks) throw notSupported(`Unsupported keySystem or supportedConfigurations.`);
    for (const c of configurations) {
      const got = satisfy(ks, c);
      if (got) {
        const access = {
          keySystem,
          getConfiguration: () => structuredClone(got),
          createMediaKeys: async () => new DoubleMediaKeys(ks, log) as unknown as MediaKeys,
        };
        return access as MediaKeySystemAccess;
      }
    }
    throw notSupported('Unsupported keySystem or supportedConfigurations.');
  };

  const environment: EmeEnvironment = { requestMediaKeySystemAccess };

  const webkit = device.webkit;
  if (webkit) {
    // The types Safari's AVFoundation player lists for the legacy API: MP4 and both HLS spellings.
    const webkitTypes = /^(video\/mp4|application\/vnd\.apple\.mpegurl|application\/x-mpegurl)/i;
    class DoubleWebKitMediaKeys {
      static isTypeSupported(keySystem: string, type?: string): boolean {
        return Object.hasOwn(webkit!, keySystem) && (type === undefined || webkitTypes.test(type));
      }
      readonly keySystem: string;
      constructor(keySystem: string) {
        if (!Object.hasOwn(webkit!, keySystem)) throw notSupported(keySystem);
        this.keySystem = keySystem;
      }
      createSession(type: string, initData: Uint8Array): DoubleWebKitSession {
        if (!webkitTypes.test(type)) throw notSupported(type);
        log.legacyInitData.push(bytes(initData));
        return new DoubleWebKitSession(this.keySystem, bytes(initData), webkit![this.keySystem]!, log);
      }
    }
    environment.WebKitMediaKeys = DoubleWebKitMediaKeys;
  }

  return {
    environment,
    log,
    install(video) {
      let current: unknown = null;
      // Instance properties shadow the real prototype methods, which would refuse a double.
      Object.defineProperty(video, 'setMediaKeys', {
        configurable: true,
        value: async (keys: unknown) => void (current = keys),
      });
      Object.defineProperty(video, 'mediaKeys', { configurable: true, get: () => current });
      Object.defineProperty(video, 'webkitSetMediaKeys', {
        configurable: true,
        value: (keys: unknown) => void (current = keys),
      });
      Object.defineProperty(video, 'webkitKeys', { configurable: true, get: () => current });
      return { mediaKeys: () => current };
    },
  };
}

/** A binary challenge as a CDM makes one (protobuf-ish, never ClearKey JSON), carrying the initData. */
export function widevineChallenge(_type: string, initData: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + initData.length);
  out.set([0x08, 0x01, 0x12, initData.length & 0xff]);
  out.set(initData, 4);
  return out;
}

/** Widevine L1 device: HW_SECURE_ALL video, HW_SECURE_CRYPTO audio, HDCP 2.2, cenc+cbcs, persistent licenses. */
export function widevineL1Device(behaviour: Pick<DoubleKeySystem, 'challenge' | 'acceptLicense'> = {}): DoubleDevice {
  return {
    keySystems: {
      'com.widevine.alpha': {
        videoRobustness: [
          'SW_SECURE_CRYPTO',
          'SW_SECURE_DECODE',
          'HW_SECURE_CRYPTO',
          'HW_SECURE_DECODE',
          'HW_SECURE_ALL',
        ],
        audioRobustness: ['SW_SECURE_CRYPTO', 'SW_SECURE_DECODE', 'HW_SECURE_CRYPTO'],
        encryptionSchemes: ['cenc', 'cbcs'],
        initDataTypes: ['cenc', 'webm', 'keyids'],
        sessionTypes: ['temporary', 'persistent-license'],
        hdcp: '2.2',
        ...behaviour,
      },
    },
  };
}

/** A software-only Widevine (L3) on a display path with HDCP 1.4 only, on a browser that ignores encryptionScheme. */
export function hdcp1OnlyDevice(): DoubleDevice {
  return {
    keySystems: {
      'com.widevine.alpha': {
        videoRobustness: ['SW_SECURE_CRYPTO', 'SW_SECURE_DECODE'],
        audioRobustness: ['SW_SECURE_CRYPTO'],
        encryptionSchemes: 'ignores-field',
        initDataTypes: ['cenc'],
        sessionTypes: ['temporary'],
        hdcp: '1.4',
      },
    },
  };
}

/** Old Safari: no usable modern `com.apple.fps`, only the prefixed WebKitMediaKeys. */
export function legacyWebKitFairPlayDevice(
  behaviour: Pick<DoubleKeySystem, 'challenge' | 'acceptLicense'> = {},
): DoubleDevice {
  return { keySystems: {}, webkit: { 'com.apple.fps.1_0': behaviour, 'com.apple.fps.2_0': behaviour } };
}

/** Modern Safari: `com.apple.fps` through standard EME. */
export function modernFairPlayDevice(
  behaviour: Pick<DoubleKeySystem, 'challenge' | 'acceptLicense'> = {},
): DoubleDevice {
  return {
    keySystems: {
      'com.apple.fps': {
        videoRobustness: [],
        audioRobustness: [],
        encryptionSchemes: ['cbcs'],
        initDataTypes: ['sinf', 'skd'],
        sessionTypes: ['temporary'],
        hdcp: 'no-api',
        ...behaviour,
      },
    },
  };
}

type KeySystemConfigurationDict = {
  keySystem: string;
  initDataType?: string;
  distinctiveIdentifier?: MediaKeysRequirement;
  persistentState?: MediaKeysRequirement;
  sessionTypes?: string[];
  video?: { robustness?: string; encryptionScheme?: string | null };
  audio?: { robustness?: string; encryptionScheme?: string | null };
};

/**
 * Sends the page's EME entry points for `keySystems` to the doubles, every other key
 * system to the real browser: `navigator.requestMediaKeySystemAccess` (detection,
 * contrib-eme) and `navigator.mediaCapabilities.decodingInfo` with a
 * `keySystemConfiguration` (Shaka), answered with the double's access as the
 * browser would. Returns the undo.
 */
export function routeKeySystemsToDoubles(doubles: DoubleEnvironment, keySystems: readonly string[]): () => void {
  const rmksa = doubles.environment.requestMediaKeySystemAccess!;
  const had = Object.getOwnPropertyDescriptor(navigator, 'requestMediaKeySystemAccess');
  const realRmksa = navigator.requestMediaKeySystemAccess.bind(navigator);
  Object.defineProperty(navigator, 'requestMediaKeySystemAccess', {
    configurable: true,
    writable: true,
    value: (ks: string, configs: Iterable<MediaKeySystemConfiguration>) =>
      keySystems.includes(ks) ? rmksa(ks, [...configs]) : realRmksa(ks, [...configs]),
  });
  const undoDecodingInfo = routeDecodingInfo(keySystems, rmksa);
  return () => {
    restoreProperty(navigator, 'requestMediaKeySystemAccess', had);
    undoDecodingInfo();
  };
}

function restoreProperty(target: object, name: string, d: PropertyDescriptor | undefined): void {
  if (d) Object.defineProperty(target, name, d);
  else delete (target as Record<string, unknown>)[name];
}

/**
 * Answers `navigator.mediaCapabilities.decodingInfo` calls whose `keySystemConfiguration`
 * names one of `keySystems` through `requestAccess` (the MediaKeySystemConfiguration the
 * keySystemConfiguration stands for), as the browser answers them through its own EME;
 * every other call goes to the real browser. Returns the undo.
 */
export function routeDecodingInfo(
  keySystems: readonly string[],
  requestAccess: (keySystem: string, configurations: MediaKeySystemConfiguration[]) => Promise<MediaKeySystemAccess>,
): () => void {
  const mc = navigator.mediaCapabilities;
  const hadDecoding = Object.getOwnPropertyDescriptor(mc, 'decodingInfo');
  const realDecodingInfo = mc.decodingInfo.bind(mc);
  Object.defineProperty(mc, 'decodingInfo', {
    configurable: true,
    writable: true,
    value: async (config: MediaDecodingConfiguration & { keySystemConfiguration?: KeySystemConfigurationDict }) => {
      const k = config.keySystemConfiguration;
      if (k === undefined || !keySystems.includes(k.keySystem)) return realDecodingInfo(config);
      // MediaCapabilities' keySystemConfiguration → the MediaKeySystemConfiguration it stands for.
      const cap = (type: string | undefined, t?: { robustness?: string; encryptionScheme?: string | null }) =>
        type
          ? [{ contentType: type, robustness: t?.robustness ?? '', encryptionScheme: t?.encryptionScheme ?? null }]
          : undefined;
      const cfg = {
        initDataTypes: k.initDataType ? [k.initDataType] : [],
        distinctiveIdentifier: k.distinctiveIdentifier,
        persistentState: k.persistentState,
        sessionTypes: k.sessionTypes,
        videoCapabilities: cap(config.video?.contentType, k.video),
        audioCapabilities: cap(config.audio?.contentType, k.audio),
      } as MediaKeySystemConfiguration;
      try {
        const keySystemAccess = await requestAccess(k.keySystem, [cfg]);
        return {
          supported: true,
          smooth: true,
          powerEfficient: true,
          keySystemAccess,
        } as MediaCapabilitiesDecodingInfo;
      } catch {
        return {
          supported: false,
          smooth: false,
          powerEfficient: false,
          keySystemAccess: null,
        } as unknown as MediaCapabilitiesDecodingInfo;
      }
    },
  });
  return () => restoreProperty(mc, 'decodingInfo', hadDecoding);
}
