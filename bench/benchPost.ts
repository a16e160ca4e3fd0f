// What the Chromium benchmarks of the console share (console.ts, memory.ts):
// a real `vigie serve` on a fresh data directory with an account, the
// simulator playing `tracks` tracks at 1 Hz over the real sockets (the
// shipped 2,000-track profile on the demo site, or the same resized onto the
// regional bench site: more radars, 999 targets each at most), and Debian's
// Chromium signed in with every track on its map.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Browser, Page } from '@playwright/test';
import { BENCH_PASSWORD, launchChromium, signIn } from './browser';
import { projectRoot } from '../electron/core/paths';
import { readSite } from '../electron/core/site/siteConfig';
import { benchRegionalSiteFile, benchScenarioFor } from '../electron/simulator/benchProfile';
import { benchScenarioFile, readScenario } from '../electron/simulator/scenario';

export interface BenchPost {
  core: ChildProcess;
  consoleUrl: string;
  origin: string;
  token: string;
  /** The JSON-lines TCP feed, for the bench's own detections. */
  jsonPort: number;
  browser: Browser;
  page: Page;
  /** Closes the browser, stops the core and the simulator, removes the data directory. */
  close(): Promise<void>;
  /** The core's event-loop delay (ms) over the seconds from `from` to `to` (Date.now()): worst, and the p99 and p50 of the per-second worst. */
  coreLoopDelay(from: number, to: number): { seconds: number; maxMs: number; p99OfSecondMaxMs: number; p50OfSecondMaxMs: number };
}

/**
 * `initScript`: run in the page before the console's own scripts (e.g. to watch its WebSocket).
 * `coreHeapSnapshotDir`: the core writes a V8 heap snapshot there on SIGUSR2 (memory.ts).
 */
export async function startBenchPost(tracks: number, options: { initScript?: string; coreHeapSnapshotDir?: string } = {}): Promise<BenchPost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-consolebench-'));
  const children: ChildProcess[] = [];
  const browser = await launchChromium();
  // VIGIE_BENCH_CORE_PROFILE=DIR: the core runs under --cpu-prof and writes its profile there when stopped.
  const profileDir = process.env.VIGIE_BENCH_CORE_PROFILE;
  const loopFile = path.join(dataDir, 'core-loop.jsonl');
  const close = async () => {
    await browser.close();
    const exited = children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))));
    for (const child of children) child.kill('SIGTERM');
    // A profiled core writes its profile on the way out: wait for it (10 s at most).
    await Promise.race([profileDir ? Promise.all(exited) : Promise.resolve(), new Promise((resolve) => setTimeout(resolve, profileDir ? 10_000 : 0))]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const coreLoopDelay = (from: number, to: number) => {
    const seconds = (fs.existsSync(loopFile) ? fs.readFileSync(loopFile, 'utf8').trim().split('\n') : [])
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { t: number; max: number })
      .filter((second) => second.t > from && second.t <= to + 1000);
    const maxes = seconds.map((second) => second.max).sort((a, b) => a - b);
    const at = (q: number) => maxes[Math.min(maxes.length - 1, Math.floor(q * maxes.length))] ?? 0;
    return { seconds: maxes.length, maxMs: maxes.at(-1) ?? 0, p99OfSecondMaxMs: at(0.99), p50OfSecondMaxMs: at(0.5) };
  };
  try {
    // An account to sign in with, as a post would have.
    const added = spawnSync(process.execPath, [path.join(projectRoot, 'bin/vigie.cjs'), 'user', 'add', 'bench', '--role', 'supervisor', '--data', dataDir], {
      input: `${BENCH_PASSWORD}\n`,
      encoding: 'utf8',
    });
    if (added.status !== 0) throw new Error(`vigie user add: ${added.stderr}`);
    const siteFile = tracks === 2_000 ? undefined : benchRegionalSiteFile;
    let scenarioFile = benchScenarioFile;
    if (siteFile) {
      scenarioFile = path.join(dataDir, 'bench-scenario.json');
      fs.writeFileSync(scenarioFile, JSON.stringify(benchScenarioFor(readScenario(benchScenarioFile), readSite(siteFile), tracks)));
    }
    const siteArgs = siteFile ? ['--site', siteFile] : [];
    const snapshotArgs = options.coreHeapSnapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${options.coreHeapSnapshotDir}`] : [];
    const profileArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    // VIGIE_BENCH_CORE_ROOT: another checkout's built core (e.g. main's), measured by this bench.
    const coreRoot = process.env.VIGIE_BENCH_CORE_ROOT ?? projectRoot;
    const core = spawn(
      process.execPath,
      [
        ...snapshotArgs,
        ...profileArgs,
        '--require',
        path.join(projectRoot, 'bench/coreLoopProbe.cjs'),
        path.join(coreRoot, 'bin/vigie.cjs'),
        'serve',
        '--data',
        dataDir,
        '--feed-ports',
        'random',
        ...siteArgs,
      ],
      {
        // VIGIE_BENCH_CORE_LOG=FILE: the core's log (warnings such as a congested feed pipeline) kept there.
        stdio: ['ignore', 'pipe', process.env.VIGIE_BENCH_CORE_LOG ? fs.openSync(process.env.VIGIE_BENCH_CORE_LOG, 'w') : 'ignore'],
        env: { ...process.env, VIGIE_BENCH_CORE_LOOP_FILE: loopFile },
      },
    );
    children.push(core);
    const line = await new Promise<string>((resolve) => readline.createInterface({ input: core.stdout! }).once('line', resolve));
    const consoleUrl = line.replace('Vigie console: ', '');
    const origin = new URL(consoleUrl).origin;
    const token = new URLSearchParams(new URL(consoleUrl).hash.slice(1)).get('token')!;
    const status = (await (
      await fetch(`${origin}/api/feeds.listeners`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' })
    ).json()) as {
      result: { listeners: { protocol: string; transport: string; port: number }[] };
    };
    const jsonPort = status.result.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;

    // The tracks at 1 Hz, real time.
    const simulator = spawn(process.execPath, [path.join(projectRoot, 'bin/vigie.cjs'), 'simulate', ...siteArgs, '--scenario', scenarioFile, '--speed', '1'], {
      env: { ...process.env, VIGIE_CORE_URL: consoleUrl },
      stdio: 'ignore',
    });
    children.push(simulator);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    if (options.initScript) await page.addInitScript(options.initScript);
    await page.goto(consoleUrl);
    await signIn(page);
    const loadStarted = Date.now();
    await page.waitForFunction(
      (wanted) => Number(document.querySelector('[data-testid="live-canvas"]')?.getAttribute('data-tracks') ?? 0) >= wanted * 0.95,
      tracks,
      { timeout: 180_000 },
    );
    process.stderr.write(`bench: ${tracks} tracks on the map after ${Math.round((Date.now() - loadStarted) / 1000)} s\n`);
    return { core, consoleUrl, origin, token, jsonPort, browser, page, close, coreLoopDelay };
  } catch (error) {
    await close();
    throw error;
  }
}
