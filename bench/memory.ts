// Memory over time (issue 17 item 5): the post of the console bench
// (benchPost.ts: a real core, the simulator at VIGIE_BENCH_TRACKS tracks,
// Chromium signed in) left running for VIGIE_BENCH_MEMORY_MINUTES (default
// 60), sampling every VIGIE_BENCH_MEMORY_SAMPLE_SECONDS (default 60): the
// core's resident set (VmRSS of its process) and the page's JavaScript heap
// in use after a garbage collection (DevTools protocol). Growth is the slope
// of a least-squares line through the samples after the first
// VIGIE_BENCH_MEMORY_WARMUP_MINUTES (default 5: SQLite's cache and the
// picture filling up), in MB per hour.
//
// VIGIE_BENCH_MEMORY_SNAPSHOTS=DIR also writes V8 heap snapshots of the page
// (DevTools protocol) and of the core (SIGUSR2, `--heapsnapshot-signal`) into
// DIR at the minutes VIGIE_BENCH_MEMORY_SNAPSHOT_MINUTES (default: the end of
// the warm-up and the end of the run); `npx tsx bench/heapDiff.ts A B` then
// says which objects grew between two of them.
// VIGIE_BENCH_MEMORY_SNAPSHOT_CORE=0 takes the page's only: a core snapshot
// stalls the core for about a minute, and the radars it then misses raise
// sensor-silent alerts that the page's heap grows with.
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession } from '@playwright/test';
import { startBenchPost } from './benchPost';

const TRACKS = Number(process.env.VIGIE_BENCH_TRACKS ?? 10_000);
const MINUTES = Number(process.env.VIGIE_BENCH_MEMORY_MINUTES ?? 60);
const SAMPLE_SECONDS = Number(process.env.VIGIE_BENCH_MEMORY_SAMPLE_SECONDS ?? 60);
const WARMUP_MINUTES = Number(process.env.VIGIE_BENCH_MEMORY_WARMUP_MINUTES ?? Math.min(5, MINUTES / 4));

const SNAPSHOT_DIR = process.env.VIGIE_BENCH_MEMORY_SNAPSHOTS;
const SNAPSHOT_CORE = process.env.VIGIE_BENCH_MEMORY_SNAPSHOT_CORE !== '0';
const SNAPSHOT_MINUTES = (process.env.VIGIE_BENCH_MEMORY_SNAPSHOT_MINUTES ?? `${WARMUP_MINUTES},${MINUTES}`).split(',').map(Number);

interface Sample {
  minute: number;
  coreRssMb: number;
  pageHeapMb: number;
  /** Open alerts on the console (its counts line): each holds a queue entry and a pulsing marker, so the page grows with them. */
  openAlerts: number | null;
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

/** The page's heap snapshot, streamed in chunks over the DevTools protocol into `file`. */
async function snapshotPage(devtools: CDPSession, file: string): Promise<void> {
  const out = fs.openSync(file, 'w');
  const onChunk = ({ chunk }: { chunk: string }) => fs.writeSync(out, chunk);
  devtools.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await devtools.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    devtools.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    fs.closeSync(out);
  }
}

/** The core's heap snapshot: SIGUSR2 makes node write one into the diagnostic directory; moved to `file` once complete. */
async function snapshotCore(pid: number, dir: string, file: string): Promise<void> {
  const before = new Set(fs.readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 300_000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const written = fs.readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && name.startsWith('Heap.') && !before.has(name));
    // Node writes the snapshot on its main thread: done when the JSON is closed.
    if (written) {
      const fd = fs.openSync(path.join(dir, written), 'r');
      const { size } = fs.fstatSync(fd);
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, Math.max(0, size - 1));
      fs.closeSync(fd);
      if (size > 0 && last.toString() === '}') {
        fs.renameSync(path.join(dir, written), file);
        return;
      }
    }
    if (Date.now() > deadline) throw new Error(`the core wrote no heap snapshot into ${dir}`);
  }
}

export async function benchMemory() {
  if (SNAPSHOT_DIR) fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const snapshotDir = SNAPSHOT_DIR && path.resolve(SNAPSHOT_DIR);
  const post = await startBenchPost(TRACKS, { coreHeapSnapshotDir: SNAPSHOT_CORE ? snapshotDir : undefined });
  try {
    const devtools = await post.page.context().newCDPSession(post.page);
    const started = Date.now();
    const samples: Sample[] = [];
    const snapshotsDue = [...SNAPSHOT_MINUTES].sort((a, b) => a - b);
    const snapshots: string[] = [];
    for (;;) {
      await devtools.send('HeapProfiler.collectGarbage');
      const heap = (await devtools.send('Runtime.getHeapUsage')) as { usedSize: number };
      const minute = Math.round(((Date.now() - started) / 60_000) * 100) / 100;
      const counts = (await post.page.textContent('[data-testid="picture-counts"]')) ?? '';
      const openAlerts = Number(/(\d[\d,]*)\D*$/.exec(counts)?.[1]?.replaceAll(',', '') ?? NaN);
      samples.push({
        minute,
        coreRssMb: mb(residentBytes(post.core.pid!)),
        pageHeapMb: mb(heap.usedSize),
        openAlerts: Number.isFinite(openAlerts) ? openAlerts : null,
      });
      process.stderr.write(
        `bench: memory at ${minute} min: core ${samples.at(-1)!.coreRssMb} MB, page heap ${samples.at(-1)!.pageHeapMb} MB, ${samples.at(-1)!.openAlerts} open alerts\n`,
      );
      const finished = Date.now() - started >= MINUTES * 60_000;
      if (snapshotDir && snapshotsDue.length && (minute >= snapshotsDue[0]! || finished)) {
        while (snapshotsDue.length && (minute >= snapshotsDue[0]! || finished)) snapshotsDue.shift();
        const at = Math.round(minute);
        await snapshotPage(devtools, path.join(snapshotDir, `page-${at}min.heapsnapshot`));
        snapshots.push(`page-${at}min.heapsnapshot`);
        if (SNAPSHOT_CORE) {
          await snapshotCore(post.core.pid!, snapshotDir, path.join(snapshotDir, `core-${at}min.heapsnapshot`));
          snapshots.push(`core-${at}min.heapsnapshot`);
        }
        process.stderr.write(`bench: heap snapshots (${SNAPSHOT_CORE ? 'page and core' : 'page'}) at ${minute} min in ${snapshotDir}\n`);
      }
      if (finished) break;
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
      ...(snapshotDir ? { snapshots: snapshots.map((name) => path.join(snapshotDir, name)) } : {}),
      samples,
    };
  } finally {
    await post.close();
  }
}
