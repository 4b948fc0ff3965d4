// Parse cost of hostile token-service answers (issue #11): each shape that made the
// old backtracking parsers quadratic, at 1, 16 and 64 KiB (64 KiB is the default
// body cap). Linear scans grow ~16× from 1 to 16 KiB and ~4× from 16 to 64 KiB.
import { parseErrorResponse, parseTokenResponse, type TokenResponseInput } from '../src/core/index.js';
import { median } from './stats.js';

const SIZES_KIB = [1, 16, 64];

function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** Shape name → the answer at a size; each is parsed as the browser and the handler do. */
const SHAPES: Record<
  string,
  (bytes: number) => { parse: (i: TokenResponseInput) => unknown; input: TokenResponseInput }
> = {
  'html <head prefix': (n) => ({
    parse: parseErrorResponse,
    input: { status: 500, contentType: 'text/html', body: fill('<head', n) },
  }),
  'html <a ': (n) => ({
    parse: parseErrorResponse,
    input: { status: 500, contentType: 'text/html', body: fill('<a ', n) },
  }),
  'json rightsUrl': (n) => ({
    parse: parseTokenResponse,
    input: {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ rightsUrl: `https://${fill('a', n - 40)} x` }),
    },
  }),
  'uri-list line': (n) => ({
    parse: parseTokenResponse,
    input: { status: 200, contentType: 'text/uri-list', body: `https://${fill('a', n - 20)} x` },
  }),
};

export interface ParseCostRow {
  shape: string;
  /** Median parse time per size, microseconds. */
  microsByKiB: Record<string, number>;
  /** 64 KiB time over 1 KiB time (linear: about 64). */
  growth64over1: number;
}

function timeOne(parse: (i: TokenResponseInput) => unknown, input: TokenResponseInput): number {
  const t0 = performance.now();
  try {
    parse(input);
  } catch {
    // Most shapes are errors by design: the time to the typed error is what counts.
  }
  return (performance.now() - t0) * 1000;
}

/** Median of `runs` parses per shape and size, after a warm-up. */
export function parseCost(runs = 41): ParseCostRow[] {
  return Object.entries(SHAPES).map(([shape, make]) => {
    const microsByKiB: Record<string, number> = {};
    for (const kib of SIZES_KIB) {
      const { parse, input } = make(kib * 1024);
      for (let i = 0; i < 5; i++) timeOne(parse, input);
      const samples = Array.from({ length: runs }, () => timeOne(parse, input));
      microsByKiB[String(kib)] = Math.round(median(samples) * 10) / 10;
    }
    const growth = microsByKiB['64']! / Math.max(microsByKiB['1']!, 0.1);
    return { shape, microsByKiB, growth64over1: Math.round(growth * 10) / 10 };
  });
}

export function renderParseTable(rows: readonly ParseCostRow[]): string {
  const head = `| shape | ${SIZES_KIB.map((k) => `${k} KiB (µs)`).join(' | ')} | 64/1 |`;
  const lines = rows.map(
    (r) => `| ${r.shape} | ${SIZES_KIB.map((k) => r.microsByKiB[String(k)]).join(' | ')} | ${r.growth64over1}× |`,
  );
  return ['Parse cost of hostile answers (median)', head, `|${'---|'.repeat(SIZES_KIB.length + 2)}`, ...lines].join(
    '\n',
  );
}
