// Small statistics and the printed summary of `npm run bench`.

export function quantile(values: readonly number[], q: number): number {
  const xs = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** a / b rounded to 3 decimals (NaN when either is missing). */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? Math.round((a / b) * 1000) / 1000 : NaN;
}

interface Cell {
  n: number;
  errors: number;
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  setupMedianMs: number;
  perPlayback: { token: number; license: number; certificate: number; emeProbes: number; emeProbesOurs: number };
  perPage: { token: number; license: number; emeProbesOurs: number; emeProbes: number };
}

interface Printable {
  date: string;
  durationS: number;
  machine: {
    cpus: number;
    loadavgStart: number[];
    loadavg1mDuringMax: number;
    loadavg1mDuringMedian: number | undefined;
  };
  setup: {
    latency: { mediaMs: number; tokenMs: number; rightsMs: number };
    runsAtProduction: number;
    runsInSweep: number;
  };
  startup: Record<string, Record<string, Record<string, Cell>>>;
  ratios: Record<string, Record<string, number>>;
  detection: {
    oursMedianMs: number;
    shakaProbeSupportMedianMs: number;
    ratio: number;
    firstCall: { oursMedianMs: number; shakaMedianMs: number; ratio: number };
    pages: number;
    roundsPerPage: number;
  };
  size: Array<{ name: string; gzip: number; budget: number | null; ok: boolean }> | { error: string };
  load: unknown;
  failures: string[];
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)}` : '—');
const r2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const verdict = (x: number, target: number) => (Number.isFinite(x) ? (x <= target ? 'met' : 'NOT met') : 'n/a');

export function renderTable(r: Printable): string {
  const out: string[] = [];
  const lat = r.setup.latency;
  out.push(
    `expressplay-eme benchmarks — ${r.date} (${r.durationS} s; ${r.machine.cpus} CPUs; load avg 1 min at start ${r.machine.loadavgStart[0]!.toFixed(2)}, during: median ${r.machine.loadavg1mDuringMedian?.toFixed(2)}, max ${r.machine.loadavg1mDuringMax.toFixed(2)})`,
  );
  out.push(
    `Start-up: load()/src() → first frame, median [p25–p75] ms; media ${lat.mediaMs} ms, rights ${lat.rightsMs} ms, token as given; ${r.setup.runsAtProduction} runs per cell at token 300 ms, ${r.setup.runsInSweep} at 100/600 ms`,
  );
  for (const [player, byToken] of Object.entries(r.startup)) {
    out.push('');
    out.push(`${player}`);
    out.push(
      `  ${pad('scenario', 12)}${['100', '300', '600'].map((t) => lpad(`token ${t} ms`, 22)).join('')}   setup@300  tok/lic/probes(ours) per playback @300`,
    );
    for (const scenario of ['limit', 'naive', 'cold', 'prefetched', 'replay', 'limit-replay']) {
      const cells = ['100', '300', '600'].map((t) => byToken[t]?.[scenario]);
      const line = cells
        .map((c) =>
          lpad(c ? `${ms(c.medianMs)} [${ms(c.p25Ms)}–${ms(c.p75Ms)}]${c.errors ? ` ${c.errors}err` : ''}` : '—', 22),
        )
        .join('');
      const c300 = byToken['300']?.[scenario];
      const counts = c300
        ? `${c300.perPlayback.token}/${c300.perPlayback.license}/${c300.perPlayback.emeProbes}(${c300.perPlayback.emeProbesOurs})`
        : '—';
      out.push(`  ${pad(scenario, 12)}${line}   ${lpad(c300 ? ms(c300.setupMedianMs) : '—', 9)}  ${counts}`);
    }
    out.push(
      `  ratios        ${['100', '300', '600']
        .map((t) => {
          const q = r.ratios[`${player}@${t}`];
          return q
            ? `@${t}: naive/limit ${r2(q['naiveOverLimit']!)} cold/naive ${r2(q['coldOverNaive']!)} prefetched/limit ${r2(q['prefetchedOverLimit']!)} replay/limit ${r2(q['replayOverLimit']!)} replay/limit-replay ${r2(q['replayOverLimitReplay']!)}`
            : '';
        })
        .join('\n                ')}`,
    );
    const q = r.ratios[`${player}@300`];
    if (q) {
      out.push(
        `  targets @300  prefetched ≤ 1.05× limit: ${r2(q['prefetchedOverLimit']!)} ${verdict(q['prefetchedOverLimit']!, 1.05)}; replay ≤ 1.05× limit: ${r2(q['replayOverLimit']!)} ${verdict(q['replayOverLimit']!, 1.05)} (vs limit-replay ${r2(q['replayOverLimitReplay']!)} ${verdict(q['replayOverLimitReplay']!, 1.05)}); cold ≤ 0.85× naive: ${r2(q['coldOverNaive']!)} ${verdict(q['coldOverNaive']!, 0.85)}`,
      );
    }
  }
  const d = r.detection;
  out.push('');
  out.push(
    `Detection (${d.pages} pages × ${d.roundsPerPage} alternated rounds): detectDrm({refresh:true}) ${r2(d.oursMedianMs)} ms vs shaka.Player.probeSupport() ${r2(d.shakaProbeSupportMedianMs)} ms → ${r2(d.ratio)}× (target ≤ 0.5: ${verdict(d.ratio, 0.5)}); first call in a page: ${r2(d.firstCall.oursMedianMs)} vs ${r2(d.firstCall.shakaMedianMs)} ms → ${r2(d.firstCall.ratio)}×`,
  );
  out.push('');
  if (Array.isArray(r.size)) {
    out.push('Size (min + gzip -9, scripts/size.mjs)');
    for (const e of r.size)
      out.push(`  ${pad(e.name, 40)}${lpad(e.gzip, 7)} B  budget ${lpad(e.budget ?? '-', 6)}  ${e.ok ? 'ok' : 'OVER'}`);
  } else out.push(`Size: ${r.size.error}`);
  out.push('');
  const load = r.load as { status?: number | null; tail?: string; ran?: boolean; note?: string };
  const loadLine = load.tail ? load.tail.split('\n').filter(Boolean).slice(-1)[0] : (load.note ?? 'not run');
  out.push(
    `Load check (bench/load.mjs): ${loadLine}${load.status !== undefined && load.status !== 0 ? ` (exit ${load.status})` : ''}`,
  );
  if (r.failures.length) {
    out.push('');
    out.push(`Failed runs (${r.failures.length} shown):`);
    for (const f of r.failures) out.push(`  ${f.slice(0, 300)}`);
  }
  return out.join('\n');
}
