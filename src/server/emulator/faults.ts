// Fault injection for tests and benchmarks. Off by default; changed in-process
// through the controller or over HTTP through POST /__emulator/faults.

import { ClientCode, ExpressPlayError, errorForHttpStatus } from '../../core/index.js';

/** Route groups a fault applies to. `media` is for other servers sharing the controller (e.g. a media server). */
export type FaultRoute = 'token' | 'rights' | 'media';
export const FAULT_ROUTES: readonly FaultRoute[] = ['token', 'rights', 'media'];

/** Faults of one route group. */
export interface RouteFault {
  /** Added latency before answering, ms. */
  latencyMs?: number;
  /** Probability (0..1) that a request fails with `status`. */
  failRate?: number;
  /** Fail exactly the next N requests (counts down), before `failRate` applies. */
  failNext?: number;
  /** HTTP status of injected failures (default 503). */
  status?: number;
  /** ExpressPlay/library code in the injected error body (default: the one for the status). */
  code?: number;
  /** Retry-After seconds sent with injected failures. */
  retryAfter?: number;
}

/**
 * `issued`: tokens issued while on are already expired.
 * `all`: redemption treats every token (old and new) as expired.
 */
export type ForcedExpiry = 'off' | 'issued' | 'all';

/** The emulator's fault configuration (`POST /__emulator/faults` takes it as JSON). */
export interface FaultConfig {
  /** Faults of the token routes. */
  token?: RouteFault;
  /** Faults of the rights (license) routes. */
  rights?: RouteFault;
  /** Faults for other servers sharing the controller (e.g. a media server). */
  media?: RouteFault;
  /** Makes tokens expired (default `off`). */
  forceExpiry?: ForcedExpiry;
}

/** A failure the fault controller decided to inject. */
export interface InjectedFailure {
  /** The error to answer with (its `httpStatus` is the status). */
  error: ExpressPlayError;
  /** Extra response headers (`retry-after`). */
  headers: Record<string, string>;
}

/** Fault injection for the emulator's routes (`Emulator.faults`). */
export interface FaultController {
  /** The current configuration (a copy). */
  get(): FaultConfig;
  /** Merges: each route's fields replace the old ones; omitted routes stay. Throws -9001 on bad values. */
  set(config: FaultConfig): FaultConfig;
  /** Clears every fault and the injected count. */
  reset(): void;
  /** Applies a route's latency, then returns the injected failure, if any. */
  apply(route: FaultRoute, signal?: AbortSignal): Promise<InjectedFailure | undefined>;
  /** Number of failures injected since the last reset. */
  readonly injected: number;
}

function bad(details: string): never {
  throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { details: `fault config: ${details}`, httpStatus: 400 });
}

function num(value: unknown, name: string, min: number, max: number, integer = false): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  )
    bad(`${name} must be a number in ${min}..${max}`);
  return value;
}

function checkRoute(name: string, value: unknown): RouteFault {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${name} must be an object`);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v))
    if (!['latencyMs', 'failRate', 'failNext', 'status', 'code', 'retryAfter'].includes(k))
      bad(`unknown field ${name}.${k}`);
  const out: RouteFault = {};
  const put = <K extends keyof RouteFault>(k: K, x: number | undefined) => {
    if (x !== undefined) out[k] = x;
  };
  put('latencyMs', num(v['latencyMs'], `${name}.latencyMs`, 0, 120_000));
  put('failRate', num(v['failRate'], `${name}.failRate`, 0, 1));
  put('failNext', num(v['failNext'], `${name}.failNext`, 0, 1_000_000, true));
  put('status', num(v['status'], `${name}.status`, 400, 599, true));
  put('code', num(v['code'], `${name}.code`, -99999, -1, true));
  put('retryAfter', num(v['retryAfter'], `${name}.retryAfter`, 0, 86_400, true));
  return out;
}

/** Validates an untrusted fault config (from the control route). */
export function checkFaultConfig(value: unknown): FaultConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('expected a JSON object');
  const v = value as Record<string, unknown>;
  const out: FaultConfig = {};
  for (const k of Object.keys(v)) {
    if ((FAULT_ROUTES as readonly string[]).includes(k)) out[k as FaultRoute] = checkRoute(k, v[k]);
    else if (k === 'forceExpiry') {
      const f = v[k];
      if (f === false || f === null) out.forceExpiry = 'off';
      else if (f === 'off' || f === 'issued' || f === 'all') out.forceExpiry = f;
      else bad('forceExpiry is "off", "issued" or "all"');
    } else bad(`unknown field ${k}`);
  }
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createFaultController(initial: FaultConfig = {}, random: () => number = Math.random): FaultController {
  let config: FaultConfig = {};
  let injected = 0;
  const controller: FaultController = {
    get: () => structuredClone(config),
    set(next) {
      const checked = checkFaultConfig(next);
      const merged: FaultConfig = { ...config };
      for (const r of FAULT_ROUTES) if (checked[r]) merged[r] = { ...config[r], ...checked[r] };
      if (checked.forceExpiry !== undefined) merged.forceExpiry = checked.forceExpiry;
      config = merged;
      return controller.get();
    },
    reset() {
      config = {};
      injected = 0;
    },
    async apply(route, signal) {
      const f = config[route];
      if (!f) return undefined;
      if (f.latencyMs) await sleep(f.latencyMs, signal);
      let fail = false;
      if (f.failNext && f.failNext > 0) {
        f.failNext -= 1;
        fail = true;
      } else if (f.failRate && random() < f.failRate) fail = true;
      if (!fail) return undefined;
      injected += 1;
      const status = f.status ?? 503;
      const details = `injected fault on ${route}`;
      const error =
        f.code !== undefined
          ? new ExpressPlayError(f.code, { httpStatus: status, details })
          : errorForHttpStatus(status, details);
      const headers: Record<string, string> = f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {};
      return { error, headers };
    },
    get injected() {
      return injected;
    },
  };
  if (Object.keys(initial).length > 0) controller.set(initial);
  return controller;
}
