// How long a detection waits to be committed while the core is behind: one
// process floods the NMEA feed over TCP as fast as flow control allows (the
// writer's queue fills to its high-water mark and the pipeline declares
// itself congested), another — a camera on its own JSON connection — sends a
// detection every 100 ms. Prints JSON: the flood's messages/s, and each
// detection's time from its write to its commit (same machine clock).
//   npx tsx bench/alertUnderFlood.ts [messages] [checkout]
// `checkout`: another built checkout's core (e.g. main's), for an A/B.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type * as Core from '../electron/core/core';
import { silentLogger } from '../electron/core/logger';
import { projectRoot } from '../electron/core/paths';
import { writeFloodSite } from './feeds';

const messages = Number(process.argv[2] ?? 400_000);
const tree = process.argv[3] ? path.resolve(process.argv[3]) : projectRoot;

/** The camera: one JSON connection, a detection every 100 ms; prints `id sentAtMs` as each is written. */
const CAMERA = `
const net = require('node:net');
const socket = net.connect(Number(process.argv[1]), '127.0.0.1', () => {
  let i = 0;
  setInterval(() => {
    const detection = 'FLOOD-' + i++;
    socket.write(JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection, kind: 'boat-launch', lat: 50.95, lon: 1.74, confidence: 0.9 }) + '\\n');
    process.stdout.write(detection + ' ' + Date.now() + '\\n');
  }, 100);
});
socket.on('error', () => process.exit(0));
`;

async function main(): Promise<void> {
  const { startCore } = (await import(path.join(tree, 'electron/core/core.ts'))) as typeof Core;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-flood-'));
  try {
    const { site, siteFile } = writeFloodSite(dir);
    const core = await startCore({
      dataDir: path.join(dir, 'data'),
      logger: silentLogger,
      siteFile,
      rendererDir: dir,
      feedPorts: {
        jsonTcp: 0,
        nmea: Object.fromEntries(site.listeners.nmea.map((l) => [l.sensor, { udp: 0, tcp: 0 }])),
      },
    });
    const nmeaPort = core.feeds!.listeners.find((l) => l.transport === 'tcp' && l.sensor === 'RAD-GRISNEZ')!.port;
    const jsonPort = core.feeds!.listeners.find((l) => l.transport === 'tcp' && l.protocol === 'json')!.port;

    // When each detection is committed; how many flood fixes are.
    const committedAt = new Map<string, number>();
    let fixes = 0;
    let congestedSpells = 0;
    core.writer.onCongestion((congested) => void (congested && (congestedSpells += 1)));
    core.log.onAppended((block) => {
      const now = Date.now();
      for (const event of block.events) {
        if (event.kind === 'track.update') fixes += 1;
        else if (event.kind === 'detection') committedAt.set((JSON.parse(event.payload) as { d: string }).d, now);
      }
    });

    const camera = spawn(process.execPath, ['-e', CAMERA, String(jsonPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const sentAt = new Map<string, number>();
    readline.createInterface({ input: camera.stdout! }).on('line', (line) => {
      const [id, at] = line.split(' ');
      sentAt.set(id!, Number(at));
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const floodFrom = Date.now();
    const flood = spawn(process.execPath, [path.join(projectRoot, 'bench', 'feedSender.mjs'), 'nmea', String(nmeaPort), String(messages), '0'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => flood.on('exit', resolve));
    if (code !== 0) throw new Error(`the flood's sender failed (exit ${code})`);
    // Everything sent: wait (bounded) until the flood is committed.
    const deadline = Date.now() + 120_000;
    while (fixes < messages && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const floodTo = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    camera.kill();
    const rejected = core.ingest.stats.list().filter((s) => Object.keys(s.rejected).length > 0);
    await core.stop('benchmark done');
    if (rejected.length > 0) throw new Error(`messages were refused: ${JSON.stringify(rejected)}`);

    // Detections written while the flood was being taken in.
    const waits: number[] = [];
    let missing = 0;
    for (const [id, at] of sentAt) {
      if (at < floodFrom || at > floodTo) continue;
      const committed = committedAt.get(id);
      if (committed === undefined) missing += 1;
      else waits.push(committed - at);
    }
    waits.sort((a, b) => a - b);
    const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? null;
    const seconds = (floodTo - floodFrom) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) },
        checkout: tree,
        flood: { messages, committed: fixes, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(fixes / seconds), congestedSpells },
        detectionToCommitMs: { detections: waits.length, missing, p50: at(0.5), p99: at(0.99), max: waits.at(-1) ?? null },
      })}\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`alertUnderFlood: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
