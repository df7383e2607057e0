// How the benchmarks time a call: warm-up runs, then the p50 and p95 of the timed runs.

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
export const round = (n: number) => Math.round(n * 1000) / 1000;
const summary = (samples: number[]) => {
  samples.sort((a, b) => a - b);
  return { p50_ms: round(quantile(samples, 0.5)), p95_ms: round(quantile(samples, 0.95)) };
};

export function time(fn: () => unknown, runs: number, warmup = 3) {
  for (let i = 0; i < warmup; i += 1) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return summary(samples);
}

export async function timeAsync(fn: () => Promise<unknown>, runs: number, warmup = 3) {
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return summary(samples);
}
