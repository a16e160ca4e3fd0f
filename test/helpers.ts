// Small helpers shared by the unit tests: throwaway data directories, byte
// edits, polling, and a signed-in caller for API calls.
import fs from 'node:fs';
import net from 'node:net';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { Role } from '../shared/domain';
import type { Site } from '../shared/site';
import { Accounts } from '../electron/core/accounts/accounts';
import { startCore, type RunningCore } from '../electron/core/core';
import type { Db } from '../electron/core/db/database';
import { silentLogger } from '../electron/core/logger';

export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-test-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Replaces the first occurrence of `find` in a file with `replace` (same length), as someone editing the file by hand would. */
export function editFileBytes(file: string, find: string, replace: string): void {
  if (Buffer.byteLength(find) !== Buffer.byteLength(replace)) throw new Error('edit must keep the length');
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(find);
  if (at < 0) throw new Error(`${JSON.stringify(find)} not found in ${file}`);
  Buffer.from(replace).copy(bytes, at);
  fs.writeFileSync(file, bytes);
}

/** Polls until `probe` returns something truthy (and returns it), or fails naming what it waited for. */
export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    // An async probe is awaited: its promise is not the value waited for.
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The password of the accounts tests create (long enough for the rule). */
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Creates an account in a running in-process core (as `vigie user add` would)
 * and signs it in; returns the headers of an API call on its behalf.
 */
export async function signInHeaders(
  core: { db: Db; port: number; secret: string },
  name = 'tester',
  role: Role = 'supervisor',
): Promise<Record<string, string>> {
  const accounts = new Accounts(core.db);
  if (!accounts.find(name)) await accounts.add(name, role, TEST_PASSWORD, null);
  const headers = { authorization: `Bearer ${core.secret}`, 'content-type': 'application/json' };
  const response = await fetch(`http://127.0.0.1:${core.port}/api/session.signIn`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name, password: TEST_PASSWORD }),
  });
  const body = (await response.json()) as { ok: boolean; result?: { session: string }; error?: { message: string } };
  if (!body.ok) throw new Error(`sign-in failed: ${body.error?.message}`);
  return { ...headers, 'x-vigie-session': body.result!.session };
}

/** What every API call answers (shared/contract's envelope, as the tests read it). */
export interface ApiAnswer<T> {
  ok: boolean;
  result: T;
  error?: { reason: string; message: string };
}

/** One API call on behalf of a signed-in account (created on first use) of the given role. */
export async function callAs<T>(
  core: { db: Db; port: number; secret: string },
  method: string,
  params: object,
  name = 'tester',
  role: Role = 'supervisor',
): Promise<ApiAnswer<T>> {
  const headers = await signInHeaders(core, name, role);
  const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
  return (await response.json()) as ApiAnswer<T>;
}

/**
 * A real core on the test's own site, every feed on a free loopback port:
 * the site in DIR/site.json, the data in DIR/data, so calling it again on the
 * same folder restarts the same post.
 */
export function startSiteCore(dir: string, site: Site): Promise<RunningCore> {
  const siteFile = path.join(dir, 'site.json');
  fs.writeFileSync(siteFile, JSON.stringify(site));
  return startCore({
    dataDir: path.join(dir, 'data'),
    logger: silentLogger,
    siteFile,
    rendererDir: dir,
    feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0 },
  });
}

/** The port a running core's feed listener took ('CoT', 'JSON', … and 'tcp', 'udp', 'ws'). */
export function feedPort(core: RunningCore, name: string, transport: string): number {
  const listener = core.feeds!.listeners.find((l) => l.name.startsWith(name) && l.transport === transport);
  if (!listener) throw new Error(`the core has no ${name} listener on ${transport}`);
  return listener.port;
}

/** A TCP client connected to a loopback port, as a field device or feed would be. */
export function connectTcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const signedInCores = new WeakMap<object, Promise<Record<string, string>>>();

/** signInHeaders, once per core (a restarted core is a new object and signs in again). */
export function apiHeaders(core: { db: Db; port: number; secret: string }): Promise<Record<string, string>> {
  let headers = signedInCores.get(core);
  if (!headers) signedInCores.set(core, (headers = signInHeaders(core)));
  return headers;
}

/** A device on the JSON-lines feed: sends lines, collects the lines the core sends back. */
export class Terminal {
  readonly lines: Record<string, unknown>[] = [];
  private buffer = '';
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let i; (i = this.buffer.indexOf('\n')) >= 0; this.buffer = this.buffer.slice(i + 1))
        this.lines.push(JSON.parse(this.buffer.slice(0, i)) as Record<string, unknown>);
    });
  }
  send(value: object): void {
    this.socket.write(`${JSON.stringify({ v: 1, ...value })}\n`);
  }
}

/** A room API call's answer (issue 15): the HTTP status and the JSON body. */
export interface RoomAnswer {
  status: number;
  body: { ok: boolean; result?: Record<string, unknown>; error?: { code: string; reason: string; params: Record<string, unknown> } };
}

/**
 * An API call on a core's room address (issue 15), trusting only the post's
 * own certificate as read from its data directory (pinned, as a seat does).
 * `from`: the local address to call from (any of 127.0.0.0/8); `host`: a forged Host header.
 */
export function roomCall(
  core: { db: Db; room?: { port: number; url: string } },
  method: string,
  params: unknown = {},
  options: { seatToken?: string; session?: string; from?: string; host?: string } = {},
): Promise<RoomAnswer> {
  const room = core.room!;
  const roomHost = new URL(room.url).hostname;
  const certPem = fs.readFileSync(path.join(path.dirname(core.db.name), 'room', 'room-tls.pem'), 'utf8').replace(/[^]*(?=-----BEGIN CERTIFICATE)/, '');
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: roomHost,
        port: room.port,
        path: `/api/${method}`,
        method: 'POST',
        ca: certPem,
        // A forged Host header (DNS rebinding) must reach the core's Host check, not stop at the name check of the certificate.
        ...(options.host ? { checkServerIdentity: () => undefined } : {}),
        localAddress: options.from ?? '127.0.0.1',
        headers: {
          host: options.host ?? `${roomHost}:${room.port}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(options.seatToken ? { authorization: `Bearer ${options.seatToken}` } : {}),
          ...(options.session ? { 'x-vigie-session': options.session } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: (text.startsWith('{') ? JSON.parse(text) : { ok: false }) as RoomAnswer['body'] }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A small post for the feed tests: the camera at Sangatte (CAM-2, which
 * raises the alerts they dispatch to), the given units, every listener on a
 * loopback port the test picks (0: any).
 */
export function cameraSite(name: string, units: Site['units'], listeners: Partial<Site['listeners']> = {}): Site {
  return {
    version: 1,
    name,
    escalateAfterSeconds: 120,
    coverageEtaMinutes: 15,
    listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 1000, ...listeners },
    sensors: [
      {
        id: 'CAM-2',
        kind: 'camera',
        name: 'Camera Sangatte',
        position: [1.753, 50.944],
        bearing: 320,
        fieldOfView: 70,
        rangeMeters: 3000,
        heartbeatSeconds: 600,
      },
    ],
    units,
  };
}
