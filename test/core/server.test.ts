// The core's front door, over real loopback sockets: secret, Host and Origin
// checks on HTTP and WebSocket, contract calls, and static file confinement.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { WS_SUBPROTOCOL, WS_TOKEN_PREFIX } from '../../shared/contract';
import { startCore, type RunningCore } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/logger';
import { signInHeaders, tempDataDir } from '../helpers';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function openSocket(port: number, protocols: string[], headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('core server', () => {
  let core: RunningCore;
  let auth: Record<string, string>;
  const dataDir = tempDataDir();
  const rendererDir = path.join(dataDir, 'renderer');

  before(async () => {
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
    core = await startCore({ dataDir: path.join(dataDir, 'data'), logger: silentLogger, rendererDir, feeds: false });
    auth = await signInHeaders(core);
  });
  after(() => core.stop());

  test('the console address carries the per-launch secret in its fragment', () => {
    assert.match(core.consoleUrl, new RegExp(`^http://127\\.0\\.0\\.1:${core.port}/#token=[0-9a-f]{64}$`));
  });

  test('API calls need the secret', async () => {
    const without = await request(core.port, { method: 'POST', path: '/api/core.hello', body: '{}' });
    assert.equal(without.status, 401);
    const wrong = await request(core.port, { method: 'POST', path: '/api/core.hello', headers: { authorization: `Bearer ${'0'.repeat(64)}` }, body: '{}' });
    assert.equal(wrong.status, 401);
    const right = await request(core.port, { method: 'POST', path: '/api/picture.get', headers: auth, body: '{}' });
    assert.equal(right.status, 200);
    const body = JSON.parse(right.body) as { ok: boolean; result: { sectors: unknown[]; log: { events: number } } };
    assert.ok(body.result.sectors.length >= 25);
    // core.started, the sectors, then the site's sensors and units.
    assert.ok(body.result.log.events > body.result.sectors.length + 1);
  });

  test('beyond the secret, a console must be signed in, with a role that may make the call', async () => {
    const secretOnly = { authorization: `Bearer ${core.secret}`, 'content-type': 'application/json' };
    const anonymous = await request(core.port, { method: 'POST', path: '/api/picture.get', headers: secretOnly, body: '{}' });
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.body, /"code":"unauthenticated"/);
    const forged = await request(core.port, {
      method: 'POST',
      path: '/api/picture.get',
      headers: { ...secretOnly, 'x-vigie-session': 'f'.repeat(64) },
      body: '{}',
    });
    assert.equal(forged.status, 401);
    // The sign-in methods themselves are open.
    const setup = await request(core.port, { method: 'POST', path: '/api/setup.status', headers: secretOnly, body: '{}' });
    assert.equal(setup.status, 200);
  });

  test('bad calls get a clear error, not a crash', async () => {
    const badParams = await request(core.port, { method: 'POST', path: '/api/log.tail', headers: auth, body: '{"limit":"all"}' });
    assert.equal(badParams.status, 400);
    assert.match(badParams.body, /params\.limit/);
    const notJson = await request(core.port, { method: 'POST', path: '/api/log.tail', headers: auth, body: '{limit' });
    assert.equal(notJson.status, 400);
    const unknown = await request(core.port, { method: 'POST', path: '/api/nope', headers: auth, body: '{}' });
    assert.equal(unknown.status, 404);
    const huge = await request(core.port, { method: 'POST', path: '/api/log.tail', headers: auth, body: 'x'.repeat(200_000) });
    assert.equal(huge.status, 413);
  });

  test('a wrong Host (DNS rebinding) or a foreign Origin is refused', async () => {
    const rebound = await request(core.port, { path: '/', headers: { host: `attacker.example:${core.port}` } });
    assert.equal(rebound.status, 421);
    const foreign = await request(core.port, { method: 'POST', path: '/api/core.hello', headers: { ...auth, origin: 'http://attacker.example' }, body: '{}' });
    assert.equal(foreign.status, 403);
  });

  test('the page is served with a strict content security policy', async () => {
    const page = await request(core.port, { path: '/' });
    assert.equal(page.status, 200);
    const csp = page.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${core.port}`));
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
  });

  test('files outside the served folders cannot be reached', async () => {
    for (const p of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%2fsectors.geojson',
    ]) {
      const reply = await request(core.port, { path: p });
      assert.notEqual(reply.status, 200, p);
    }
    const land = await request(core.port, { path: '/assets/basemap/land.geojson' });
    assert.equal(land.status, 200);
  });

  test('WebSocket: refused without the secret or from a foreign origin; answers and pushes with it', async () => {
    await assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL]), /401/);
    await assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL, `${WS_TOKEN_PREFIX}${'f'.repeat(64)}`]), /401/);
    await assert.rejects(openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret], { origin: 'http://evil.example' }), /403/);

    const ws = await openSocket(core.port, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + core.secret], { origin: `http://127.0.0.1:${core.port}` });
    assert.equal(ws.protocol, WS_SUBPROTOCOL);
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ type: 'request', id: 7, method: 'log.tail', params: { limit: 2 }, session: auth['x-vigie-session'] }));
    const isReply = (frame: unknown) => (frame as { type?: string; id?: number }).type === 'response' && (frame as { id?: number }).id === 7;
    await waitFor(() => frames.some(isReply));
    const reply = frames.find(isReply) as { id: number; ok: boolean; result: { events: { kind: string }[] } };
    assert.equal(reply.id, 7);
    assert.equal(reply.result.events.length, 2);

    core.log.append([{ kind: 'test.ping', source: 'test', payload: { n: 1 } }]);
    // Other pushes (picture deltas) may come in between: look for this one.
    type Pushed = { type: string; name: string; payload: { kinds?: string[] } };
    const isPing = (frame: unknown) => (frame as Pushed).name === 'log.appended' && (frame as Pushed).payload.kinds?.includes('test.ping') === true;
    await waitFor(() => frames.some(isPing));
    const pushed = frames.find(isPing) as Pushed;
    assert.equal(pushed.type, 'event');
    // Blocks of the same ~100 ms are announced together: the ping is among them.
    assert.ok(pushed.payload.kinds?.includes('test.ping'), JSON.stringify(pushed.payload.kinds));

    // A frame outside the contract closes that socket only.
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"type":"request","id":"x"}');
    assert.equal(await closed, 1008);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
