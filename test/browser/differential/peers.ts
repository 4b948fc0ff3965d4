// What the differential tests compare with, loaded into the page the way users load
// them: Shaka Player's compiled UMD (window.shaka) and our built full drop-in
// (window.ExpressPlayEME, with every page-side helper) with script tags; and byte helpers written here, not taken
// from either side.
import type shakaNs from 'shaka-player';
import * as sources from '../../../src/index.js';
import { loadScript } from '../support/page.js';

export type Shaka = typeof shakaNs;
/** Our helpers: the sources, or the drop-in's `window.ExpressPlayEME`. */
export type Implementation = typeof sources;

/** Ours, as the differential tests run it: the sources, and the built drop-in pages load. */
export const IMPLEMENTATIONS = ['sources', 'drop-in (dist/umd)'] as const;

/** Generated cases per property (each property runs in well under a second at this size). */
export const NUM_RUNS = 300;

export async function loadDifferentialPeers(): Promise<{ shaka: Shaka; dropIn: Implementation }> {
  await loadScript('/node_modules/shaka-player/dist/shaka-player.compiled.js');
  await loadScript('/dist/umd/expressplay-eme-full.min.js');
  const w = window as unknown as { shaka: Shaka; ExpressPlayEME: Implementation };
  return { shaka: w.shaka, dropIn: w.ExpressPlayEME };
}

/** Registers a mocha `before` that loads the peers; the getters are for use inside tests. */
export function useDifferentialPeers(): {
  shaka(): Shaka;
  implementation(name: (typeof IMPLEMENTATIONS)[number]): Implementation;
} {
  let loaded: { shaka: Shaka; dropIn: Implementation } | undefined;
  before(async () => {
    loaded = await loadDifferentialPeers();
  });
  const get = () => {
    if (!loaded) throw new Error('the differential peers are not loaded yet');
    return loaded;
  };
  return { shaka: () => get().shaka, implementation: (name) => (name === 'sources' ? sources : get().dropIn) };
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) view.setUint16(i * 2, s.charCodeAt(i), true);
  return out;
}

/** `[u32le byteLength][bytes]`, the prefix of webkitneedkey's initData. */
export function withLength(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The part of Shaka 4.3's `shaka.util` the PSSH comparison uses (not exported by any compiled build). */
export interface ShakaPsshSources {
  Pssh: {
    new (initData: Uint8Array): { systemIds: string[]; cencKeyIds: string[]; data: Uint8Array[] };
    createPssh(data: Uint8Array, systemId: Uint8Array, keyIds: Set<string>, version: number): Uint8Array;
  };
}

// Shaka 4.3 is the last release whose shaka.util.Pssh reads the key ids of v1 pssh
// boxes (`cencKeyIds`; 5.x keeps only system ids and box data), and no compiled build
// exports it. Its sources (Closure modules: goog.provide + classes on the shaka
// namespace) run as they are against a minimal goog/shaka.log stand-in, in a private
// namespace so that window.shaka (Shaka 5.2's compiled build) is left alone.
const PSSH_SOURCES = [
  'buffer_utils',
  'lazy',
  'error',
  'string_utils',
  'uint8array_utils',
  'data_view_reader',
  'mp4_parser',
  'pssh',
];

export async function loadShaka43Pssh(): Promise<ShakaPsshSources> {
  const root: Record<string, Record<string, unknown>> = { shaka: {} };
  const goog = {
    provide(ns: string) {
      let o: Record<string, unknown> = root;
      for (const part of ns.split('.')) o = (o[part] ??= {}) as Record<string, unknown>;
    },
    require() {},
    asserts: { assert() {} },
  };
  const quiet = () => undefined;
  root['shaka']!['log'] = {
    v1: quiet,
    v2: quiet,
    debug: quiet,
    info: quiet,
    warning: quiet,
    error: quiet,
    alwaysWarn: quiet,
    alwaysError: quiet,
  };
  for (const name of PSSH_SOURCES) {
    const text = await (await fetch(`/node_modules/shaka-player-4.3/lib/util/${name}.js`)).text();
    new Function('goog', 'shaka', text)(goog, root['shaka']);
  }
  return (root['shaka'] as { util: ShakaPsshSources }).util;
}
