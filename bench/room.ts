// Control-room benchmark (issue 15): a real `vigie serve --room` on
// 127.0.0.2 under the simulator's 2,000-track profile at 1 Hz, five seats
// admitted and signed in over TLS, each with its console WebSocket. Seat A
// adds a note to an open incident (an operator action every console must
// show at once); the time until each of seats B–E receives the push that
// carries it is measured (same process clock). Seats are Node WebSocket
// clients rather than five Chromium pages: the core's side (commit, push,
// TLS, five sockets) is what is measured, not five renderers on two cores.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { WebSocket } from 'ws';
import { WS_SUBPROTOCOL, WS_TOKEN_PREFIX } from '../shared/contract';
import { projectRoot } from '../electron/core/paths';
import { BENCH_PASSWORD } from './browser';

const ROOM_HOST = '127.0.0.2';
const SEATS = Number(process.env.VIGIE_BENCH_SEATS ?? 5);
const ACTIONS = Number(process.env.VIGIE_BENCH_ROOM_ACTIONS ?? 100);

function percentile(sorted: number[], q: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
}

async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function post<T>(url: string, body: unknown, headers: Record<string, string>, ca?: string): Promise<T> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? https.request : http.request)(
      url,
      { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } },
      (response) => {
        let data = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
        response.on('end', () => {
          const parsed = JSON.parse(data) as { ok: boolean; result: T; error?: unknown };
          if (!parsed.ok) reject(new Error(`${url}: ${JSON.stringify(parsed.error)}`));
          else resolve(parsed.result);
        });
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

export async function benchRoom() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-roombench-'));
  const children: ChildProcess[] = [];
  const sockets: WebSocket[] = [];
  try {
    const added = spawnSync(process.execPath, [path.join(projectRoot, 'bin/vigie.cjs'), 'user', 'add', 'bench', '--role', 'supervisor', '--data', dataDir], {
      input: `${BENCH_PASSWORD}\n`,
      encoding: 'utf8',
    });
    if (added.status !== 0) throw new Error(`vigie user add: ${added.stderr}`);
    const roomPort = await freePort(ROOM_HOST);
    const core = spawn(
      process.execPath,
      [path.join(projectRoot, 'bin/vigie.cjs'), 'serve', '--data', dataDir, '--feed-ports', 'random', '--room', `${ROOM_HOST}:${roomPort}`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(core);
    const [consoleLine, roomLine] = await new Promise<string[]>((resolve) => {
      const lines: string[] = [];
      readline.createInterface({ input: core.stdout! }).on('line', (line) => {
        lines.push(line);
        if (lines.length === 2) resolve(lines);
      });
    });
    const consoleUrl = consoleLine!.replace('Vigie console: ', '');
    const origin = new URL(consoleUrl).origin;
    const secret = new URLSearchParams(new URL(consoleUrl).hash.slice(1)).get('token')!;
    const roomUrl = /^Vigie room: (\S+) /.exec(roomLine!)![1]!;
    // Pinned: the post's own certificate, as a seat that compared the fingerprint trusts it.
    const ca = fs.readFileSync(path.join(dataDir, 'room', 'room-tls.pem'), 'utf8').replace(/[^]*(?=-----BEGIN CERTIFICATE)/, '');

    const local = { authorization: `Bearer ${secret}` };
    const supervisor = (await post<{ session: string }>(`${origin}/api/session.signIn`, { name: 'bench', password: BENCH_PASSWORD }, local)).session;
    const asSupervisor = { ...local, 'x-vigie-session': supervisor };

    // 2,000 vessel tracks at 1 Hz, real time.
    const simulator = spawn(
      process.execPath,
      [path.join(projectRoot, 'bin/vigie.cjs'), 'simulate', '--scenario', path.join(projectRoot, 'assets/scenarios/bench-2000-tracks.json'), '--speed', '1'],
      { env: { ...process.env, VIGIE_CORE_URL: consoleUrl }, stdio: 'ignore' },
    );
    children.push(simulator);

    // Five seats: asked, admitted, signed in, each with its console socket.
    const seats: { ws: WebSocket; session: string; received: Map<string, number> }[] = [];
    for (let i = 0; i < SEATS; i++) {
      const asked = await post<{ token: string; code: string }>(`${roomUrl}api/seat.request`, { label: `bench seat ${i + 1}` }, {}, ca);
      await post(`${origin}/api/seat.admit`, { code: asked.code }, asSupervisor);
      const bearer = { authorization: `Bearer ${asked.token}` };
      const session = (await post<{ session: string }>(`${roomUrl}api/session.signIn`, { name: 'bench', password: BENCH_PASSWORD }, bearer, ca)).session;
      const ws = new WebSocket(`${roomUrl.replace('https:', 'wss:')}ws`, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + asked.token], { ca });
      sockets.push(ws);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const received = new Map<string, number>();
      ws.on('message', (data) => {
        const text = String(data);
        if (!text.includes('ROOM-BENCH-')) return;
        const now = performance.now();
        for (const match of text.matchAll(/ROOM-BENCH-\d+/g)) if (!received.has(match[0])) received.set(match[0], now);
      });
      // The first request carrying the session makes the socket a signed-in console (pushes go only to those).
      ws.send(JSON.stringify({ type: 'request', id: 1, method: 'session.current', params: {}, session }));
      seats.push({ ws, session, received });
    }

    // An open incident to write notes to: a detection, acknowledged.
    const listeners = await post<{ listeners: { protocol: string; transport: string; port: number }[] }>(`${origin}/api/feeds.listeners`, {}, local);
    const jsonPort = listeners.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;
    const feed = net.connect(jsonPort, '127.0.0.1');
    await new Promise((resolve) => feed.once('connect', resolve));
    feed.write(
      `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'ROOM1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 })}\n`,
    );
    let alert: string | undefined;
    for (let tries = 0; !alert && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const picture = await post<{ alerts: { id: string; status: string; kind: string }[] }>(`${origin}/api/picture.get`, {}, asSupervisor);
      alert = picture.alerts.find((a) => a.status === 'new' && a.kind === 'boat-launch')?.id;
    }
    feed.destroy();
    if (!alert) throw new Error('the bench detection raised no alert');
    const { incident } = await post<{ incident: string }>(`${origin}/api/alert.acknowledge`, { alert }, asSupervisor);
    // Let the tracks fill in before measuring.
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const [actor, ...others] = seats;
    const sent = new Map<string, number>();
    for (let i = 0; i < ACTIONS; i++) {
      const marker = `ROOM-BENCH-${i}`;
      sent.set(marker, performance.now());
      actor!.ws.send(JSON.stringify({ type: 'request', id: 100 + i, method: 'incident.addNote', params: { incident, text: marker }, session: actor!.session }));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const latencies: number[] = [];
    let missing = 0;
    for (const seat of others)
      for (const [marker, at] of sent) {
        const seen = seat.received.get(marker);
        if (seen === undefined) missing += 1;
        else latencies.push(seen - at);
      }
    latencies.sort((a, b) => a - b);
    return {
      note: `seat A adds a note to an open incident ${ACTIONS} times (every 150 ms); time until each other seat's WebSocket receives the push carrying it, ms; ${SEATS} seats over TLS 1.3 on ${ROOM_HOST}, 2,000 tracks at 1 Hz`,
      seats: SEATS,
      actions: ACTIONS,
      observations: latencies.length,
      missing,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: Math.round(latencies.at(-1)! * 10) / 10,
      budgetMs: 100,
    };
  } finally {
    for (const ws of sockets) ws.close();
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
