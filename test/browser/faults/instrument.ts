// Instrumentation for the fault matrix: what is still pending after a case ends.
//
// Importing this module wraps, for the whole page, setTimeout/clearTimeout,
// setInterval/clearInterval, fetch and XMLHttpRequest (pending counts), and
// listens for unhandled rejections. It must be imported before the players'
// scripts are loaded, so their requests go through the wrappers too. A *scope*
// (`startScope()`) records what is created while it is open; `scope.report()`
// lists what is still pending. Each record keeps its creation stack, so a
// report can be narrowed to what this library created (`ours`: frames under
// /src/) and a failing assertion says where the leak was made.
//
// Listeners: EventTarget.prototype is NOT wrapped globally (Chromium's own
// internals and the test runner add and drop listeners all the time); instead
// `scope.track(obj, label)` wraps add/removeEventListener on the objects a case
// involves (the <video>, a Shaka player and its networking engine, window).

export interface PendingItem {
  kind: 'timeout' | 'interval' | 'fetch' | 'xhr' | 'listener' | 'requestFilter' | 'responseFilter';
  detail: string;
  stack: string;
  ours: boolean;
}

export interface ScopeReport {
  timers: PendingItem[];
  requests: PendingItem[];
  listeners: PendingItem[];
  unhandledRejections: unknown[];
}

export interface Scope {
  /** Records listeners added to `target` from now on (and, for Shaka's engine, request/response filters). */
  track(target: object, label: string): void;
  /** What is still pending, created while this scope was open. */
  report(): ScopeReport;
  close(): void;
}

interface Record_ {
  item: PendingItem;
  done: boolean;
}

const OURS = /\/src\/(browser|core|shaka|videojs|hlsjs|dashjs)\//;
const scopes = new Set<ScopeState>();

interface ScopeState {
  timers: Map<number, Record_>;
  requests: Set<Record_>;
  listeners: Map<string, Record_>;
  rejections: unknown[];
}

function stackHere(): string {
  // Drop the first lines (Error + this module's wrapper frames): the rest says who asked.
  return (new Error().stack ?? '').split('\n').slice(3, 12).join('\n');
}

function record(kind: PendingItem['kind'], detail: string): Record_ {
  const stack = stackHere();
  return { item: { kind, detail, stack, ours: OURS.test(stack) }, done: false };
}

/* ------------------------------------------------------------------ timers */

const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);
const realSetInterval = window.setInterval.bind(window);
const realClearInterval = window.clearInterval.bind(window);

function noteTimer(id: number, r: Record_): void {
  for (const s of scopes) s.timers.set(id, r);
}

function endTimer(id: number | undefined): void {
  if (id === undefined) return;
  for (const s of scopes) {
    const r = s.timers.get(id);
    if (r) {
      r.done = true;
      s.timers.delete(id);
    }
  }
}

type TimerHandler_ = string | ((...args: unknown[]) => void);

window.setTimeout = ((handler: TimerHandler_, timeout?: number, ...args: unknown[]) => {
  // The stack is only taken while a scope is open (it costs).
  const r = scopes.size > 0 ? record('timeout', `setTimeout(${timeout ?? 0} ms)`) : undefined;
  const id = realSetTimeout(
    (...a: unknown[]) => {
      endTimer(id);
      if (typeof handler === 'function') handler(...a);
    },
    timeout,
    ...args,
  );
  if (r) noteTimer(id, r);
  return id;
}) as typeof window.setTimeout;

window.clearTimeout = ((id?: number) => {
  endTimer(id);
  realClearTimeout(id);
}) as typeof window.clearTimeout;

window.setInterval = ((handler: TimerHandler_, timeout?: number, ...args: unknown[]) => {
  const r = scopes.size > 0 ? record('interval', `setInterval(${timeout ?? 0} ms)`) : undefined;
  const id = realSetInterval(typeof handler === 'function' ? handler : () => undefined, timeout, ...args);
  if (r) noteTimer(id, r);
  return id;
}) as typeof window.setInterval;

window.clearInterval = ((id?: number) => {
  endTimer(id);
  realClearInterval(id);
}) as typeof window.clearInterval;

/* ---------------------------------------------------------------- requests */

function noteRequest(kind: 'fetch' | 'xhr', url: string): Record_ {
  // The URL without its query: rights URLs carry tokens.
  const r =
    scopes.size > 0
      ? record(kind, url.split('?')[0]!)
      : { item: { kind, detail: '', stack: '', ours: false }, done: false };
  for (const s of scopes) s.requests.add(r);
  return r;
}

function endRequest(r: Record_): void {
  r.done = true;
  for (const s of scopes) s.requests.delete(r);
}

const realFetch = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const r = noteRequest('fetch', url);
  const p = realFetch(input, init);
  // Pending until the response (or the failure/abort) arrives. The body is read
  // by the caller afterwards; an abort during the body read surfaces at the caller.
  p.then(
    () => endRequest(r),
    () => endRequest(r),
  );
  return p;
};

const realOpen = XMLHttpRequest.prototype.open;
const realSend = XMLHttpRequest.prototype.send;
const xhrUrl = new WeakMap<XMLHttpRequest, string>();
XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
  xhrUrl.set(this, String(url));
  return (realOpen as (...a: unknown[]) => void).call(this, method, url, ...rest);
} as typeof XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
  const r = noteRequest('xhr', xhrUrl.get(this) ?? '?');
  this.addEventListener('loadend', () => endRequest(r), { once: true });
  return realSend.call(this, body);
};

/* ----------------------------------------------------- unhandled rejections */

window.addEventListener('unhandledrejection', (event) => {
  for (const s of scopes) s.rejections.push(event.reason);
});

/* -------------------------------------------------------------- listeners */

type ListenerFn = (type: string, listener: unknown, options?: unknown) => void;
const listenerIds = new WeakMap<object, number>();
let nextListenerId = 1;
const idOf = (o: object) => {
  let id = listenerIds.get(o);
  if (id === undefined) listenerIds.set(o, (id = nextListenerId++));
  return id;
};
const captureOf = (options: unknown) =>
  typeof options === 'boolean'
    ? options
    : typeof options === 'object' && options !== null && (options as { capture?: boolean }).capture === true;

function wrapPair(
  state: ScopeState,
  target: Record<string, unknown>,
  label: string,
  addName: string,
  removeName: string,
  kind: PendingItem['kind'],
): void {
  const add = target[addName];
  const remove = target[removeName];
  if (typeof add !== 'function' || typeof remove !== 'function') return;
  const keyFor = (args: unknown[]) => {
    const [a, b, c] = args;
    // Listeners: (type, fn, options); filters: (fn).
    return kind === 'listener'
      ? `${String(a)}|${typeof b === 'object' || typeof b === 'function' ? idOf(b as object) : String(b)}|${captureOf(c)}`
      : `${typeof a === 'function' ? idOf(a) : String(a)}`;
  };
  target[addName] = function (this: unknown, ...args: unknown[]) {
    const once =
      kind === 'listener' &&
      typeof args[2] === 'object' &&
      args[2] !== null &&
      (args[2] as { once?: boolean }).once === true;
    const key = keyFor(args);
    if (!state.listeners.has(key) && !once) {
      const r = record(kind, `${label}: ${kind === 'listener' ? String(args[0]) : kind}`);
      state.listeners.set(key, r);
    }
    return (add as ListenerFn).apply(this, args as [string, unknown, unknown]);
  };
  target[removeName] = function (this: unknown, ...args: unknown[]) {
    const key = keyFor(args);
    const r = state.listeners.get(key);
    if (r) {
      r.done = true;
      state.listeners.delete(key);
    }
    return (remove as ListenerFn).apply(this, args as [string, unknown, unknown]);
  };
}

export function startScope(): Scope {
  const state: ScopeState = { timers: new Map(), requests: new Set(), listeners: new Map(), rejections: [] };
  const restorers: Array<() => void> = [];
  scopes.add(state);
  return {
    track(target, label) {
      const t = target as Record<string, unknown>;
      const own = [
        'addEventListener',
        'removeEventListener',
        'registerRequestFilter',
        'unregisterRequestFilter',
        'registerResponseFilter',
        'unregisterResponseFilter',
      ];
      const saved = own.map((k) => [k, Object.prototype.hasOwnProperty.call(t, k), t[k]] as const);
      restorers.push(() => {
        for (const [k, had, v] of saved) {
          if (had) t[k] = v;
          else delete t[k];
        }
      });
      wrapPair(state, t, label, 'addEventListener', 'removeEventListener', 'listener');
      wrapPair(state, t, label, 'registerRequestFilter', 'unregisterRequestFilter', 'requestFilter');
      wrapPair(state, t, label, 'registerResponseFilter', 'unregisterResponseFilter', 'responseFilter');
    },
    report() {
      return {
        timers: [...state.timers.values()].filter((r) => !r.done).map((r) => r.item),
        requests: [...state.requests].filter((r) => !r.done).map((r) => r.item),
        listeners: [...state.listeners.values()].filter((r) => !r.done).map((r) => r.item),
        unhandledRejections: [...state.rejections],
      };
    },
    close() {
      scopes.delete(state);
      for (const restore of restorers.reverse()) restore();
    },
  };
}

/** Lets queued callbacks, aborts and rejection events run (a few macrotasks). */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** One line per leak, for assertion messages. */
export function describeLeaks(items: readonly PendingItem[]): string {
  return items
    .map(
      (i) => `${i.kind} ${i.detail}${i.ours ? ' (ours)' : ''}\n    ${i.stack.split('\n').slice(0, 4).join('\n    ')}`,
    )
    .join('\n');
}
