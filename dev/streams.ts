// The test media's catalogue, test/media/streams.json: each stream's keys (which only
// the Node side may read: a token endpoint's `resolve`, never a page) and its public
// description (manifest, type, scheme, codecs: what a page may be told).

import { readFileSync } from 'node:fs';

export interface DevStream {
  /** Key id (lower-case hex) → content key: one entry for single-key content, one per track key for multi-key content. */
  keys: Readonly<Record<string, string>>;
  /** Multi-key content (streams.json's `keys` map): a token request names the key id it is for. */
  multiKey: boolean;
  iv?: string;
  /** Path of the manifest from the repository root, e.g. `test/media/cenc-h264/manifest.mpd`. */
  manifest: string;
  /** The manifest's MIME type. */
  type: string;
  /** `cenc` or `cbcs`. */
  scheme?: string;
  codecs?: string;
}

interface StreamJson {
  kid?: unknown;
  key?: unknown;
  iv?: unknown;
  /** Multi-key streams: kid → { key, track }. */
  keys?: Record<string, { key?: unknown }>;
  manifest?: unknown;
  type?: unknown;
  scheme?: unknown;
  codecs?: unknown;
}

export const STREAMS_FILE = new URL('../test/media/streams.json', import.meta.url);

function keysOf(s: StreamJson): Record<string, string> {
  if (typeof s.kid === 'string' && typeof s.key === 'string') return { [s.kid]: s.key };
  const out: Record<string, string> = {};
  for (const [kid, entry] of Object.entries(s.keys ?? {})) if (typeof entry?.key === 'string') out[kid] = entry.key;
  return out;
}

/** The string fields of `s` named in `names`, skipping absent or non-string ones. */
function strings<K extends keyof StreamJson>(s: StreamJson, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = s[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** Every stream of streams.json with a manifest, its type and at least one key, by content id. */
export function loadStreams(): Record<string, DevStream> {
  const json = JSON.parse(readFileSync(STREAMS_FILE, 'utf8')) as Record<string, StreamJson>;
  const out: Record<string, DevStream> = {};
  for (const [id, s] of Object.entries(json)) {
    const keys = keysOf(s ?? {});
    const { manifest, type, ...optional } = strings(s ?? {}, ['manifest', 'type', 'iv', 'scheme', 'codecs']);
    if (Object.keys(keys).length === 0 || manifest === undefined || type === undefined) continue;
    out[id] = { keys, multiKey: s.keys !== undefined, manifest, type, ...optional };
  }
  return out;
}
