// Attacks on the core's API, over real loopback sockets against a real core
// (real SQLite file): each must fail safely — refused, the core still
// answering its console — and leave evidence: a `security.refused` event in
// the log, rate-limited so the attack cannot flood it, with counts that add up.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { WS_SUBPROTOCOL, WS_TOKEN_PREFIX } from '../../shared/contract';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import type { SecurityRefusedPayload } from '../../electron/core/server/guard';
import { signInHeaders, tempDataDir, until } from '../helpers';

const HEADERS_TIMEOUT_MS = 1_500;
const CHECK_INTERVAL_MS = 200;
const MAX_CONNECTIONS = 300;
const REPORT_MS = 300;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection (no keep-alive pool), with whatever Host and headers the attacker picks. */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Raw bytes on a fresh socket; resolves with everything the server sent once it closes (or after timeoutMs). */
function raw(port: number, bytes: string, timeoutMs = 3_000): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    let failure: Error | undefined;
    socket.on('error', (error) => (failure ??= error));
    socket.on('close', () => {
      clearTimeout(timer);
      if (text === '' && failure) reject(failure);
      else resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

function openSocket(port: number, protocols: string[], headers: Record<string, string> = {}, url = `ws://127.0.0.1:${port}/ws`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The signed-in session the console WebSocket requests carry (set once the core is up). */
let wsSession: string | undefined;

/** A request over an open console WebSocket; resolves with the response frame. */
function wsCall(ws: WebSocket, id: number, method: string, params: object): Promise<{ ok: boolean; result?: unknown }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type: string; id?: number; ok: boolean; result?: unknown };
      if (frame.type === 'response' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'request', id, method, params, session: wsSession }));
  });
}

describe('attacks on the core API', () => {
  let core: RunningCore;
  const dataDir = tempDataDir();
  const opened: (net.Socket | WebSocket)[] = [];
  let headers: Record<string, string>;
  const auth = () => headers;
  const host = () => `127.0.0.1:${core.port}`;
  const refusals = () =>
    [...iterateEvents(core.db)]
      .filter((event) => event.kind === 'security.refused')
      .map((event) => ({ ...event, p: JSON.parse(event.payload) as SecurityRefusedPayload }));
  /** Refusals of one reason the log holds: the sum of the events' counts. */
  const logged = (reason: string) =>
    refusals()
      .filter((event) => event.p.reason === reason)
      .reduce((sum, event) => sum + event.p.n, 0);
  const waitLogged = (reason: string, atLeast: number) =>
    until(() => logged(reason) >= atLeast, `${atLeast} "${reason}" refusals in the log (have ${logged(reason)})`, 5_000);

  before(async () => {
    const rendererDir = path.join(dataDir, 'renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
    core = await startCore({
      dataDir: path.join(dataDir, 'data'),
      logger: silentLogger,
      rendererDir,
      feeds: false,
      serverLimits: { headersTimeoutMs: HEADERS_TIMEOUT_MS, checkIntervalMs: CHECK_INTERVAL_MS, maxConnections: MAX_CONNECTIONS },
      refusalReportMs: REPORT_MS,
    });
    headers = await signInHeaders(core);
    wsSession = headers['x-vigie-session'];
  });
  after(async () => {
    for (const socket of opened) {
      if (socket instanceof WebSocket) socket.terminate();
      else socket.destroy();
    }
    await core.stop();
  });

  test('DNS rebinding: any Host but 127.0.0.1:PORT / localhost:PORT is refused on HTTP, the API and the WebSocket, and logged', async () => {
    const hosts = [
      `attacker.example:${core.port}`,
      `127.0.0.1.nip.io:${core.port}`,
      `localhost:${core.port}.evil.example`,
      `127.0.0.1:${core.port + 1}`,
      '127.0.0.1',
      `[::1]:${core.port}`,
      `localhost.:${core.port}`,
    ];
    for (const bad of hosts) {
      assert.equal((await request(core.port, { path: '/', headers: { host: bad } })).status, 421, bad);
      const api = await request(core.port, { method: 'POST', path: '/api/picture.get', headers: { ...auth(), host: bad }, body: '{}' });
      assert.equal(api.status, 421, bad);
      assert.doesNotMatch(api.body, /sectors/);
      await assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret], { host: bad }), /HTTP 421/, bad);
    }
    // HTTP/1.0 without any Host at all.
    const noHost = await raw(core.port, 'GET / HTTP/1.0\r\n\r\n');
    assert.match(noHost.text, /^HTTP\/1\.1 421/);
    await waitLogged('host', hosts.length * 3 + 1);
    const first = refusals().find((event) => event.p.reason === 'host')!;
    assert.equal(first.source, 'core');
    assert.equal(first.p.host, hosts[0]);
    assert.match(first.p.remote ?? '', /^127\.0\.0\.1:\d+$/);
    // The legitimate names still work.
    assert.equal((await request(core.port, { path: '/', headers: { host: `localhost:${core.port}` } })).status, 200);
  });

  test('cross-origin: a WebSocket or API call from another site is refused and logged', async () => {
    const before = logged('origin');
    const origins = [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${core.port + 1}`,
      `https://127.0.0.1:${core.port}`,
      `http://localhost.evil.example:${core.port}`,
    ];
    for (const origin of origins) {
      await assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret], { origin }), /HTTP 403/, origin);
      assert.equal((await request(core.port, { method: 'POST', path: '/api/picture.get', headers: { ...auth(), origin }, body: '{}' })).status, 403, origin);
    }
    await waitLogged('origin', before + origins.length * 2);
    assert.ok(refusals().some((event) => event.p.reason === 'origin' && event.p.origin === 'http://evil.example'));
    // The console's own origin passes.
    const ws = await openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret], { origin: `http://127.0.0.1:${core.port}` });
    opened.push(ws);
    assert.equal((await wsCall(ws, 1, 'log.tail', { limit: 1 })).ok, true);
  });

  test('a missing or wrong secret is refused on HTTP and in the WebSocket subprotocol, logged, and never written anywhere', async () => {
    const before = logged('secret');
    const wrong = 'ab'.repeat(32);
    const attempts: Promise<unknown>[] = [
      request(core.port, { method: 'POST', path: '/api/picture.get', body: '{}' }).then((r) => assert.equal(r.status, 401)),
      request(core.port, { method: 'POST', path: '/api/picture.get', headers: { authorization: `Bearer ${wrong}` }, body: '{}' }).then((r) =>
        assert.equal(r.status, 401),
      ),
      request(core.port, { method: 'POST', path: '/api/picture.get', headers: { authorization: `Bearer ${core.secret.toUpperCase()}` }, body: '{}' }).then(
        (r) => assert.equal(r.status, 401),
      ),
      request(core.port, { method: 'POST', path: '/api/picture.get', headers: { authorization: `Bearer ${core.secret.slice(0, 63)}` }, body: '{}' }).then((r) =>
        assert.equal(r.status, 401),
      ),
      request(core.port, { method: 'POST', path: `/api/picture.get?token=${core.secret}`, body: '{}' }).then((r) => assert.equal(r.status, 401)),
      assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL]), /HTTP 401/),
      assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + wrong]), /HTTP 401/),
      assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL], {}, `ws://127.0.0.1:${core.port}/ws?token=${core.secret}`), /HTTP 401/),
    ];
    await Promise.all(attempts);
    await waitLogged('secret', before + attempts.length);
    // The query string (which held the real secret above) is not kept, nor is any offered secret.
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of fs.readdirSync(path.join(dataDir, 'data'))) {
      if (!fs.statSync(path.join(dataDir, 'data', file)).isFile()) continue;
      const bytes = fs.readFileSync(path.join(dataDir, 'data', file));
      assert.equal(bytes.includes(core.secret), false, `the secret is in ${file}`);
      assert.equal(bytes.includes(wrong), false, `an offered secret is in ${file}`);
    }
    assert.ok(refusals().some((event) => event.p.reason === 'secret' && event.p.path === '/api/picture.get'));
  });

  test('an oversized HTTP body is refused at once, without reading it, and logged', async () => {
    const before = logged('body-size');
    // Declared 10 MB, sent 1 KiB: the answer must not wait for the rest (the old code drained until the request timeout).
    const declared = await raw(
      core.port,
      `POST /api/log.tail HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${core.secret}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n${'x'.repeat(1024)}`,
    );
    assert.match(declared.text, /^HTTP\/1\.1 413/);
    assert.ok(declared.closedAfterMs < 1_500, `closed after ${declared.closedAfterMs} ms`);
    // Chunked, no length declared: cut as soon as it passes 64 KiB.
    const chunked = await new Promise<{ status: number; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const req = http.request(
        { host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/log.tail', headers: { ...auth(), 'transfer-encoding': 'chunked' }, agent: false },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, ms: Date.now() - started });
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('x'.repeat(100 * 1024));
      // …and never finish the body.
    });
    assert.equal(chunked.status, 413);
    assert.ok(chunked.ms < 1_500, `answered after ${chunked.ms} ms`);
    await waitLogged('body-size', before + 2);
  });

  test('an oversized WebSocket frame closes that socket (1009), is logged, and other consoles carry on', async () => {
    const before = logged('frame-size');
    const victim = await openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret]);
    const bystander = await openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret]);
    opened.push(victim, bystander);
    const closed = new Promise<number>((resolve) => victim.once('close', (code) => resolve(code)));
    victim.on('error', () => undefined);
    victim.send(JSON.stringify({ type: 'request', id: 1, method: 'log.tail', params: { pad: 'x'.repeat(300 * 1024) } }));
    assert.equal(await closed, 1009);
    await waitLogged('frame-size', before + 1);
    assert.equal((await wsCall(bystander, 2, 'log.tail', { limit: 1 })).ok, true);
  });

  test('slowloris: headers trickled a line at a time are cut off at the headers timeout, and logged', async () => {
    const before = logged('slow-client');
    const started = Date.now();
    const socket = net.connect(core.port, '127.0.0.1');
    opened.push(socket);
    socket.on('error', () => undefined);
    socket.write(`GET / HTTP/1.1\r\nHost: ${host()}\r\n`);
    let lines = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Slow-${lines++}: a\r\n`);
    }, 100);
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    const closedAfter = await new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
    clearInterval(trickle);
    assert.ok(lines >= 5, 'the client did trickle');
    // Cut after the headers timeout, not when Node's default 30 s check would have come round.
    assert.ok(closedAfter >= HEADERS_TIMEOUT_MS - 100 && closedAfter <= HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 1_000, `closed after ${closedAfter} ms`);
    assert.match(reply, /^HTTP\/1\.1 408/);
    await waitLogged('slow-client', before + 1);
  });

  test('many idle sockets: the core keeps a bounded number, drops the oldest idle ones, and the console still answers at once', async () => {
    const before = { limit: logged('connection-limit'), slow: logged('slow-client') };
    const desk = await openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret]);
    opened.push(desk);
    const count = MAX_CONNECTIONS * 2;
    const idle: net.Socket[] = [];
    let closedEarly = 0;
    const openedAt = Date.now();
    await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<void>((resolve) => {
            const socket = net.connect(core.port, '127.0.0.1', () => resolve());
            // Read what the core sends (its 408), or the socket never sees its end.
            socket.resume();
            socket.on('error', () => resolve());
            socket.on('close', () => {
              if (Date.now() - openedAt < HEADERS_TIMEOUT_MS - 200) closedEarly += 1;
              resolve();
            });
            idle.push(socket);
            opened.push(socket);
          }),
      ),
    );
    // The console's WebSocket was never a candidate, and a fresh HTTP request gets a slot at once.
    const t0 = Date.now();
    assert.equal((await wsCall(desk, 3, 'log.tail', { limit: 1 })).ok, true);
    const fresh = await request(core.port, { method: 'POST', path: '/api/log.tail', headers: auth(), body: '{"limit":1}' });
    assert.equal(fresh.status, 200);
    assert.ok(Date.now() - t0 < 1_000, `answered after ${Date.now() - t0} ms`);
    // At least the excess was closed right away (without the cap none would be until the headers timeout).
    await until(
      () => closedEarly >= count - MAX_CONNECTIONS,
      `${count - MAX_CONNECTIONS} sockets dropped at the cap (have ${closedEarly})`,
      HEADERS_TIMEOUT_MS - 300,
    );
    await waitLogged('connection-limit', before.limit + count - MAX_CONNECTIONS);
    // The rest never sent a request: gone at the headers timeout, counted as slow clients.
    await until(
      () => idle.every((socket) => socket.destroyed || socket.closed),
      `every idle socket closed (${idle.filter((socket) => !socket.destroyed && !socket.closed).length} open)`,
      HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 2_000,
    );
    await waitLogged('slow-client', before.slow + 1);
    assert.equal((await wsCall(desk, 4, 'log.tail', { limit: 1 })).ok, true, 'the console WebSocket outlived the idle sweep');
  });

  test('a burst of 2,000 concurrent unauthenticated POSTs: the core stays up, the console answers within 1 s, and the log holds a few events whose counts add up', async () => {
    const beforeEvents = refusals().length;
    const beforeSecret = logged('secret');
    const beforeLimit = logged('connection-limit');
    const desk = await openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret]);
    opened.push(desk);
    const outcomes = { unauthorized: 0, reset: 0, other: 0 };
    const started = Date.now();
    const burst = Promise.all(
      Array.from({ length: 2_000 }, () =>
        request(core.port, { method: 'POST', path: '/api/picture.get', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
          (reply) => (reply.status === 401 ? (outcomes.unauthorized += 1) : (outcomes.other += 1)),
          () => (outcomes.reset += 1),
        ),
      ),
    );
    // While the burst is in flight, the console's own call comes back within the bound.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t0 = Date.now();
    const answer = await wsCall(desk, 5, 'log.tail', { limit: 1 });
    const latency = Date.now() - t0;
    assert.equal(answer.ok, true);
    assert.ok(latency < 1_000, `the console waited ${latency} ms`);
    await burst;
    const burstMs = Date.now() - started;
    assert.equal(outcomes.other, 0, 'nothing but refusals (or connections shed at the cap)');
    assert.equal(outcomes.unauthorized + outcomes.reset, 2_000);
    assert.ok(outcomes.unauthorized > 0);
    // Still up: a legitimate HTTP call answers.
    assert.equal((await request(core.port, { method: 'POST', path: '/api/log.tail', headers: auth(), body: '{"limit":1}' })).status, 200);
    // Every refusal the clients saw is counted in the log (a shed connection may have been refused before it was shed).
    await waitLogged('secret', beforeSecret + outcomes.unauthorized);
    await new Promise((resolve) => setTimeout(resolve, REPORT_MS * 2));
    const secretCounted = logged('secret') - beforeSecret;
    const shed = logged('connection-limit') - beforeLimit;
    assert.ok(
      secretCounted <= 2_000 && secretCounted + shed >= 2_000 - 50,
      `secret ${secretCounted} + shed ${shed} vs 2000 sent (${JSON.stringify(outcomes)})`,
    );
    // Rate-limited: two events per reason per period at most, not one per refusal.
    const periods = Math.ceil((Date.now() - started) / REPORT_MS) + 2;
    const added = refusals().length - beforeEvents;
    assert.ok(added <= periods * 2 * 2, `${added} events for 2,000 refusals over ${burstMs} ms`);
  });
});
