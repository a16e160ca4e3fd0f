// The replay benchmark (issue 5): the generated 12-hour, 5,000,000-event shift
// of bench/shiftLog.ts, written through the real append path with the live
// core's projectors — picture, sectors, shifts and the picture snapshot
// writer — then replayed through a read-only connection as a console would:
// seeks to random moments (budget p95 ≤ 200 ms), and play at 60× — one frame
// every 20 ms of wall time (50 frames/s) advances 1.2 s of the shift — timing
// the core's side of each frame (budget: within the 20 ms frame); then the
// same shift played at 60× in the console in Chromium (frames per second of
// the page while it plays; budget ≥ 50).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { BENCH_PASSWORD, framesPerSecond, launchChromium, signIn } from './browser';
import { projectRoot } from '../electron/core/paths';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../shared/clock';
import { openDatabase } from '../electron/core/db/database';
import { EventLog } from '../electron/core/log/eventLog';
import { logEvent } from '../electron/core/log/eventCatalogue';
import { LivePicture } from '../electron/core/picture/livePicture';
import { sectorProjector } from '../electron/core/picture/sectors';
import { shiftProjector } from '../electron/core/accounts/shifts';
import { snapshotWriter } from '../electron/core/replay/snapshots';
import { ReplayService } from '../electron/core/replay/replayService';
import { SHIFT_EVENTS, SHIFT_SECONDS, SHIFT_START, shiftBlocks } from './shiftLog';
import { seededRandom } from '../electron/simulator/model/random';

const SEEKS = Number(process.env.VIGIE_BENCH_SEEKS ?? 200);
const PLAY_FRAMES = Number(process.env.VIGIE_BENCH_PLAY_FRAMES ?? 1500);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number): number => Math.round(n * 10) / 10;

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50Ms: ms(percentile(sorted, 50)),
    p95Ms: ms(percentile(sorted, 95)),
    p99Ms: ms(percentile(sorted, 99)),
    maxMs: ms(sorted[sorted.length - 1]!),
  };
}

export async function benchReplay(total = SHIFT_EVENTS) {
  const seconds = Math.round((SHIFT_SECONDS * total) / SHIFT_EVENTS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-replay-'));
  try {
    // Record: the shift as the live core would have logged and projected it.
    const db = openDatabase(dir);
    const log = new EventLog(db, new ManualClock(SHIFT_START));
    log.addProjector(sectorProjector(db));
    const picture = new LivePicture(db);
    log.addProjector(picture.project);
    log.addProjector(shiftProjector(db));
    log.addProjector(snapshotWriter(db, picture));
    const units = Array.from({ length: 24 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
    log.append(
      units.map((id) => logEvent('site.unit', 'site', { id, callsign: `OPALE ${id.slice(1)}`, type: '4x4', crew: 2, home: [1.6, 50.7] }, SHIFT_START - 1000)),
    );
    log.append([{ ...logEvent('shift.opened', 'console', { shift: 1, by: 'martin' }, SHIFT_START - 1), operator: 'martin' }]);
    const recordStarted = performance.now();
    let events = 0;
    let lastTime = SHIFT_START;
    for (const block of shiftBlocks(total, seconds)) {
      log.append(block);
      events += block.length;
      lastTime = block[block.length - 1]!.time ?? lastTime;
      // The live core pushes a delta ten times a second, which also forgets closed incidents.
      if (events % 2000 < block.length) picture.takeDelta();
    }
    log.append([{ ...logEvent('shift.closed', 'console', { shift: 1, by: 'martin', handover: 'bench' }, lastTime + 1), operator: 'martin' }]);
    const recordSeconds = (performance.now() - recordStarted) / 1000;
    const snapshots = db.prepare('SELECT count(*) AS n, sum(length(state)) AS bytes FROM picture_snapshots').get() as { n: number; bytes: number };
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    // Replay, read-only, as one console.
    const replay = new ReplayService(() => openDatabase(dir, { readonly: true }));
    try {
      const span = replay.shift(1);
      const rnd = seededRandom(60);
      const seeks: number[] = [];
      let tracks = 0;
      for (let i = 0; i < SEEKS; i++) {
        const time = span.from + Math.floor(rnd() * (span.to - span.from));
        const started = performance.now();
        const at = await replay.at('bench', 1, { time });
        seeks.push(performance.now() - started);
        tracks += at.picture.tracks.length;
      }
      // Play at 60× from a random moment: 1.2 s of shift per 20 ms frame.
      const frames: number[] = [];
      let time = span.from + Math.floor(rnd() * (span.to - span.from) * 0.5);
      await replay.at('bench', 1, { time });
      for (let i = 0; i < PLAY_FRAMES && time < span.to; i++) {
        time += 1200;
        const started = performance.now();
        await replay.at('bench', 1, { time });
        frames.push(performance.now() - started);
      }
      const play = summary(frames);
      // The chain check as a console asks for it (replay.verify: the whole log, walked in
      // slices): how long it takes, and how long a seek every 100 ms waits meanwhile.
      const checkStarted = performance.now();
      let checkMs: number | undefined;
      let chainOk = false;
      const checking = replay.verify(1).then((chain) => {
        checkMs = performance.now() - checkStarted;
        chainOk = chain.ok;
      });
      const seeksDuringCheck: number[] = [];
      while (checkMs === undefined) {
        const started = performance.now();
        await replay.at('bench', 1, { time: span.from + Math.floor(rnd() * (span.to - span.from)) });
        seeksDuringCheck.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await checking;
      replay.close();
      const inChromium = await playInChromium(dir);
      return {
        events: span.lastSeq - span.firstSeq + 1,
        shiftHours: Math.round((seconds / 3600) * 10) / 10,
        recordSeconds: Math.round(recordSeconds),
        snapshots: {
          count: snapshots.n,
          bytes: snapshots.bytes,
          bytesPerEvent: Math.round((snapshots.bytes / events) * 100) / 100,
          every: 'SNAPSHOT_EVERY_EVENTS (5,000) or 10 min of log time, at most one per 5 s of log time',
        },
        seek: {
          ...summary(seeks),
          budgetP95Ms: 200,
          meanTracks: Math.round(tracks / SEEKS),
          note: 'replay.at at a random time of the shift, one console cursor, read-only connection, picture built (not serialized)',
        },
        chainCheck: {
          ok: chainOk,
          seconds: Math.round(checkMs! / 100) / 10,
          eventsPerSecond: Math.round(total / (checkMs! / 1000)),
          seekWhileChecking: summary(seeksDuringCheck),
          note: 'replay.verify beside a seek every 100 ms: the walk gives the event loop back every ~8 ms',
        },
        play60x: {
          ...play,
          budgetMs: 20,
          framesPerSecondPossible: Math.round(1000 / Math.max(play.p95Ms, 0.1)),
          note: 'core side of each 60× frame (1.2 s of shift)',
        },
        play60xInChromium: {
          ...inChromium,
          budgetFramesPerSecond: 50,
          note: 'the console in replay mode playing the shift at 60× (vigie serve + Chromium on this machine): requestAnimationFrame callbacks per second over 5 s',
        },
      };
    } finally {
      replay.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The recorded shift played at 60× in the console, in Debian's Chromium against `vigie serve` on the same data. */
async function playInChromium(dataDir: string): Promise<{ framesPerSecond: number; shiftSecondsPlayed: number }> {
  const vigieBin = path.join(projectRoot, 'bin', 'vigie.cjs');
  const added = spawnSync(process.execPath, [vigieBin, 'user', 'add', 'bench', '--role', 'auditor', '--data', dataDir], {
    input: `${BENCH_PASSWORD}\n`,
    encoding: 'utf8',
  });
  if (added.status !== 0) throw new Error(`vigie user add: ${added.stderr}`);
  const core = spawn(process.execPath, [vigieBin, 'serve', '--data', dataDir, '--feed-ports', 'random'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const browser = await launchChromium();
  try {
    const line = await new Promise<string>((resolve) => readline.createInterface({ input: core.stdout! }).once('line', resolve));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(line.replace('Vigie console: ', ''));
    await signIn(page);
    // The console settled (map and live picture in) before replay starts.
    await page.getByTestId('live-canvas').waitFor({ state: 'attached' });
    await page.waitForTimeout(2000);
    await page.getByTestId('replay-open').click();
    await page.getByTestId('replay-shift').selectOption('1');
    // The chain check walks the whole log in the core: measured after it, not beside it.
    await page.locator('[data-testid=replay-chain].ok, [data-testid=replay-chain].broken').waitFor({ timeout: 300_000 });
    await page.getByTestId('replay-speed-60').click();
    await page.getByTestId('replay-play').click();
    await page.waitForTimeout(1500);
    const before = Number(await page.getByTestId('replay-timeline').inputValue());
    const fps = await framesPerSecond(page);
    const after = Number(await page.getByTestId('replay-timeline').inputValue());
    return { framesPerSecond: Math.round(fps * 10) / 10, shiftSecondsPlayed: Math.round((after - before) / 1000) };
  } finally {
    await browser.close();
    core.kill('SIGTERM');
    await new Promise((resolve) => core.once('exit', resolve));
  }
}
