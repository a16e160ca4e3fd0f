// Memory over time (issue 17 item 5): the post of the console bench
// (benchPost.ts: a real core, the simulator at VIGIE_BENCH_TRACKS tracks,
// Chromium signed in) left running for VIGIE_BENCH_MEMORY_MINUTES (default
// 60), sampling every VIGIE_BENCH_MEMORY_SAMPLE_SECONDS (default 60): the
// core's resident set (VmRSS of its process) and the page's JavaScript heap
// in use after a garbage collection (DevTools protocol). Growth is the slope
// of a least-squares line through the samples after the first
// VIGIE_BENCH_MEMORY_WARMUP_MINUTES (default 5: SQLite's cache and the
// picture filling up), in MB per hour.
import fs from 'node:fs';
import { startBenchPost } from './benchPost';

const TRACKS = Number(process.env.VIGIE_BENCH_TRACKS ?? 10_000);
const MINUTES = Number(process.env.VIGIE_BENCH_MEMORY_MINUTES ?? 60);
const SAMPLE_SECONDS = Number(process.env.VIGIE_BENCH_MEMORY_SAMPLE_SECONDS ?? 60);
const WARMUP_MINUTES = Number(process.env.VIGIE_BENCH_MEMORY_WARMUP_MINUTES ?? Math.min(5, MINUTES / 4));

interface Sample {
  minute: number;
  coreRssMb: number;
  pageHeapMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A process's resident set, from /proc (Linux, as the build machines are). */
function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

/** Least-squares slope of y over x (per minute), times 60: per hour. */
function slopePerHour(points: { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const sxy = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  return Math.round((sxy / sxx) * 60 * 10) / 10;
}

function summary(samples: Sample[], key: 'coreRssMb' | 'pageHeapMb') {
  const settled = samples.filter((sample) => sample.minute >= WARMUP_MINUTES);
  const values = samples.map((sample) => sample[key]);
  return {
    first: values[0] ?? null,
    afterWarmup: settled[0]?.[key] ?? null,
    last: values.at(-1) ?? null,
    max: values.length ? Math.max(...values) : null,
    growthMbPerHour: slopePerHour(settled.map((sample) => ({ x: sample.minute, y: sample[key] }))),
  };
}

export async function benchMemory() {
  const post = await startBenchPost(TRACKS);
  try {
    const devtools = await post.page.context().newCDPSession(post.page);
    const started = Date.now();
    const samples: Sample[] = [];
    for (;;) {
      await devtools.send('HeapProfiler.collectGarbage');
      const heap = (await devtools.send('Runtime.getHeapUsage')) as { usedSize: number };
      const minute = Math.round(((Date.now() - started) / 60_000) * 100) / 100;
      samples.push({ minute, coreRssMb: mb(residentBytes(post.core.pid!)), pageHeapMb: mb(heap.usedSize) });
      process.stderr.write(`bench: memory at ${minute} min: core ${samples.at(-1)!.coreRssMb} MB, page heap ${samples.at(-1)!.pageHeapMb} MB\n`);
      if (Date.now() - started >= MINUTES * 60_000) break;
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_SECONDS * 1000));
    }
    const tracksOnMap = Number(await post.page.getAttribute('[data-testid="live-canvas"]', 'data-tracks'));
    return {
      tracksOffered: TRACKS,
      tracksOnMap,
      minutes: MINUTES,
      warmupMinutes: WARMUP_MINUTES,
      coreRssMb: summary(samples, 'coreRssMb'),
      pageHeapMb: summary(samples, 'pageHeapMb'),
      samples,
    };
  } finally {
    await post.close();
  }
}
