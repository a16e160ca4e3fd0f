// Shared by the fault tests: a real `vigie serve` child process (so it can be
// SIGKILLed), the `vigie` command, a site file without rate limits, and a
// signed-in console (HTTP calls and the WebSocket that receives pushes).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import { WS_SUBPROTOCOL, WS_TOKEN_PREFIX } from '../../shared/contract';
import { readSite } from '../../electron/core/site/siteConfig';
import { defaultSiteFile, projectRoot } from '../../electron/core/paths';
import { seededRandom } from '../../electron/simulator/model/random';

export const vigieBin = path.join(projectRoot, 'bin', 'vigie.cjs');
export const DUTY = { name: 'duty', password: 'correct horse battery staple' };

export interface CommandResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `vigie ARGS` to the end (asynchronously, so the test's own servers keep running). */
export function vigie(args: readonly string[], input?: string, timeoutMs = 60_000): Promise<CommandResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [vigieBin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

export async function addDutyAccount(dataDir: string): Promise<void> {
  const added = await vigie(['user', 'add', DUTY.name, '--role', 'supervisor', '--data', dataDir], `${DUTY.password}\n`);
  if (added.status !== 0) throw new Error(`vigie user add failed: ${added.stderr}`);
}

/** The demo site without per-source rate limit and with hour-long heartbeats: the tests measure faults, not the limiter. */
export function writeFastSite(dir: string): string {
  const site = readSite(defaultSiteFile);
  site.listeners.perSourceRate = 1_000_000_000;
  site.sensors = site.sensors.map((sensor) => ({ ...sensor, heartbeatSeconds: 3600 }));
  const file = path.join(dir, 'site.json');
  fs.writeFileSync(file, JSON.stringify(site));
  return file;
}

export interface Serve {
  child: ChildProcess;
  origin: string;
  port: number;
  token: string;
  stderr(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** A contract call; `session` from signIn() (none for core.hello, feeds.listeners). */
  api<T = unknown>(method: string, params?: object, session?: string): Promise<T>;
  signIn(): Promise<string>;
  /** Port of a feed listener (asked with the secret only, as a device would). */
  feedPort(protocol: 'json' | 'nmea' | 'cot', transport: 'tcp' | 'udp', sensor?: string): Promise<number>;
}

export const CONSOLE_LINE = /^Vigie console: (http:\/\/127\.0\.0\.1:(\d+))\/#token=([0-9a-f]{64})$/;

/** `vigie serve` on DIR with random feed ports; resolves once it printed its address. */
export async function startServe(dataDir: string, siteFile: string): Promise<Serve> {
  const child = spawn(process.execPath, [vigieBin, 'serve', '--data', dataDir, '--port', '0', '--feed-ports', 'random', '--site', siteFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`vigie serve printed no address in 20 s; stderr:\n${errors}`)), 20_000);
    lines.once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`vigie serve exited (${code ?? signal}); stderr:\n${errors}`));
    });
  });
  const match = CONSOLE_LINE.exec(line);
  if (!match) throw new Error(`unexpected first line from vigie serve: ${line}`);
  const origin = match[1]!;
  const token = match[3]!;
  const api = async <T>(method: string, params: object = {}, session?: string): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (session) headers['x-vigie-session'] = session;
    const reply = (await (await fetch(`${origin}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) })).json()) as {
      ok: boolean;
      result: T;
      error?: unknown;
    };
    if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };
  return {
    child,
    origin,
    port: Number(match[2]),
    token,
    stderr: () => errors,
    exited,
    api,
    signIn: async () => (await api<{ session: string }>('session.signIn', { name: DUTY.name, password: DUTY.password })).session,
    async feedPort(protocol, transport, sensor) {
      const { listeners } = await api<{ listeners: { protocol: string; transport: string; port: number; sensor?: string }[] }>('feeds.listeners');
      const found = listeners.find((l) => l.protocol === protocol && l.transport === transport && l.sensor === sensor);
      if (!found) throw new Error(`no ${protocol}/${transport} listener${sensor ? ` for ${sensor}` : ''}`);
      return found.port;
    },
  };
}

/** A signed-in console WebSocket; `onEvent` gets every pushed event until the socket closes. */
export async function openConsole(
  serve: Serve,
  session: string,
  onEvent: (name: string, payload: unknown) => void,
): Promise<{ closed: Promise<void>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, [WS_SUBPROTOCOL, `${WS_TOKEN_PREFIX}${serve.token}`]);
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.once('error', () => resolve());
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; name?: string; payload?: unknown };
    if (frame.type === 'event') onEvent(frame.name!, frame.payload);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // Pushes go to sockets that sent a signed-in session: send one with a first request, and wait for its answer.
  await new Promise<void>((resolve) => {
    ws.once('message', () => resolve());
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'core.hello', params: {}, session }));
  });
  return { closed, close: () => ws.close() };
}

/** A seeded stream in [0, 1): the same kill moments for the same seed. */
export const seeded = seededRandom;
