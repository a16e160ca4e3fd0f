// Map tile benchmark: a 1 GB MBTiles (generated once into the system's temp
// folder, reused after; incompressible tile blobs so it really is 1 GB on
// disk) served by a real core over HTTP, under 200 concurrent requests from a
// separate thread. Reports the latency of whole tile responses (p50, p99,
// max), throughput, and what the first maps.list costs on that file (open +
// the NULL-tile check).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { startCore } from '../electron/core/core';
import { silentLogger } from '../electron/core/logger';
import { signInHeaders } from '../test/helpers';

const TARGET_BYTES = Number(process.env.VIGIE_BENCH_MAP_BYTES ?? 1024 ** 3);
const CONCURRENCY = Number(process.env.VIGIE_BENCH_TILE_CONCURRENCY ?? 200);
const REQUESTS = Number(process.env.VIGIE_BENCH_TILE_REQUESTS ?? 40_000);
const MEAN_TILE_BYTES = 32 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface MapBenchResult {
  file: string;
  fileBytes: number;
  tiles: number;
  generatedSeconds: number | 'reused';
  firstListMs: number;
  concurrency: number;
  requests: number;
  notFound: number;
  seconds: number;
  perSecond: number;
  megabytesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  target: string;
}

/** Tiles z0–z7 in full, then z8 row by row, until the target size: [z, x, y(XYZ)] in writing order. */
function* tileAddresses(): Generator<[number, number, number]> {
  for (let z = 0; ; z++) for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) yield [z, x, y];
}

function generate(file: string): number {
  const started = performance.now();
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(partial);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
  const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
  for (const [name, value] of Object.entries({ name: 'Vigie bench 1 GB', format: 'png', minzoom: '0', maxzoom: '8', bounds: '-180,-85,180,85' }))
    meta.run(name, value);
  const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  let written = 0;
  const addresses = tileAddresses();
  const batch = db.transaction((count: number) => {
    for (let i = 0; i < count; i++) {
      const [z, x, y] = addresses.next().value!;
      // Random bytes behind a PNG signature: incompressible, 16–48 KiB.
      const length = MEAN_TILE_BYTES / 2 + Math.floor(Math.random() * MEAN_TILE_BYTES);
      put.run(z, x, 2 ** z - 1 - y, Buffer.concat([PNG_SIGNATURE, randomBytes(length - PNG_SIGNATURE.length)]));
      written += length;
    }
  });
  while (written < TARGET_BYTES) batch(1000);
  db.close();
  fs.renameSync(partial, file);
  return (performance.now() - started) / 1000;
}

/** The load generator: its own thread and event loop, so it does not borrow the core's. */
const WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { origin, tilePath, id, tiles, requests, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = new Float64Array(requests);
let issued = 0, done = 0, notFound = 0, bytes = 0;
function one() {
  if (issued >= requests) return Promise.resolve();
  const index = issued++;
  const [z, x, y] = tiles[Math.floor(Math.random() * tiles.length)];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http.get(origin + tilePath + '/' + id + '/' + z + '/' + x + '/' + y, { agent }, (response) => {
      if (response.statusCode === 404) notFound++;
      response.on('data', (chunk) => (bytes += chunk.length));
      response.on('end', () => { latencies[index] = performance.now() - started; done++; resolve(); });
      response.on('error', reject);
    }).on('error', reject);
  }).then(one);
}
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, one)).then(() => {
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  parentPort.postMessage({ latencies, seconds, notFound, bytes });
});
`;

function runLoad(workerData: unknown): Promise<{ latencies: Float64Array; seconds: number; notFound: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

export async function benchMaps(): Promise<MapBenchResult> {
  const folder = path.join(os.tmpdir(), 'vigie-bench-maps');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'bench-1g.mbtiles');
  let generatedSeconds: number | 'reused' = 'reused';
  if (!fs.existsSync(file) || fs.statSync(file).size < TARGET_BYTES) {
    process.stderr.write(`bench: writing a ${Math.round(TARGET_BYTES / 1024 ** 2)} MiB MBTiles to ${file} (once; reused after)…\n`);
    generatedSeconds = generate(file);
  }
  const tiles = (() => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT zoom_level AS z, tile_column AS x, tile_row AS row FROM tiles').all() as { z: number; x: number; row: number }[]).map(
        ({ z, x, row }) => [z, x, 2 ** z - 1 - row],
      );
    } finally {
      db.close();
    }
  })();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-mapbench-'));
  const core = await startCore({ dataDir: work, logger: silentLogger, rendererDir: work, feeds: false, mapsDir: folder });
  try {
    const origin = `http://127.0.0.1:${core.port}`;
    const listStarted = performance.now();
    const response = await fetch(`${origin}/api/maps.list`, { method: 'POST', headers: await signInHeaders(core, 'bench'), body: '{}' });
    const list = ((await response.json()) as { result: { tilePath: string; packs: { id: string; file: string; status: string }[] } }).result;
    const firstListMs = performance.now() - listStarted;
    const pack = list.packs.find((candidate) => candidate.file === path.basename(file));
    if (pack?.status !== 'ok') throw new Error(`the bench pack was not usable: ${JSON.stringify(pack)}`);
    const workerData = { origin, tilePath: list.tilePath, id: pack.id, tiles, concurrency: CONCURRENCY };
    process.stderr.write(`bench: ${REQUESTS.toLocaleString('en-GB')} tile requests, ${CONCURRENCY} at a time…\n`);
    await runLoad({ ...workerData, requests: Math.min(2000, REQUESTS) }); // warm-up: connections, statements
    const load = await runLoad({ ...workerData, requests: REQUESTS });
    const sorted = Float64Array.from(load.latencies).sort();
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 100) / 100;
    return {
      file,
      fileBytes: fs.statSync(file).size,
      tiles: tiles.length,
      generatedSeconds: typeof generatedSeconds === 'number' ? Math.round(generatedSeconds * 10) / 10 : generatedSeconds,
      firstListMs: Math.round(firstListMs),
      concurrency: CONCURRENCY,
      requests: REQUESTS,
      notFound: load.notFound,
      seconds: Math.round(load.seconds * 100) / 100,
      perSecond: Math.round(REQUESTS / load.seconds),
      megabytesPerSecond: Math.round(load.bytes / 1024 ** 2 / load.seconds),
      latencyMs: { p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1]! * 100) / 100 },
      target: 'none set by the brief; a map redraw asks ~20–40 tiles at once',
    };
  } finally {
    await core.stop('bench done');
    fs.rmSync(work, { recursive: true, force: true });
  }
}
