// The feed pipeline end to end over real loopback sockets: a core on random
// ports, a small site, and messages in every protocol — valid, malformed,
// unauthorised and flooding.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import { nmeaChecksum } from '../../electron/core/feeds/nmea/parseNmeaSentence';
import type { Site } from '../../shared/site';
import { apiHeaders, tempDataDir, until } from '../helpers';

const CAMERA_SECRET = 'camera-secret-0123456789';

function testSite(rate: number): Site {
  return {
    version: 1,
    name: 'test post',
    escalateAfterSeconds: 120,
    coverageEtaMinutes: 15,
    listeners: {
      host: '127.0.0.1',
      cot: { udp: 0, tcp: 0, multicast: false },
      nmea: [{ sensor: 'RAD-1', udp: 0, tcp: 0 }],
      json: { tcp: 0, ws: 0 },
      perSourceRate: rate,
    },
    sensors: [
      { id: 'RAD-1', kind: 'radar', name: 'Radar Gris-Nez', position: [1.584, 50.8697], rangeMeters: 30000, heartbeatSeconds: 600 },
      {
        id: 'CAM-1',
        kind: 'camera',
        name: 'Camera Wissant',
        position: [1.664, 50.8855],
        bearing: 300,
        fieldOfView: 70,
        rangeMeters: 3000,
        heartbeatSeconds: 600,
        secret: CAMERA_SECRET,
      },
      {
        id: 'CAM-2',
        kind: 'camera',
        name: 'Camera Sangatte',
        position: [1.753, 50.944],
        bearing: 320,
        fieldOfView: 70,
        rangeMeters: 3000,
        heartbeatSeconds: 2,
      },
      { id: 'DRN-1', kind: 'drone', name: 'Drone', position: [1.62, 50.77], footprintMeters: 800, heartbeatSeconds: 600, cotUids: ['DRN-1'] },
    ],
    units: [
      { id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'json' } },
      { id: 'U02', callsign: 'OPALE 02', type: 'quad', crew: 2, home: [1.63, 50.86], device: { protocol: 'cot', uid: 'ANDROID-U02' } },
    ],
  };
}

function nmea(body: string): string {
  return `$${body}*${nmeaChecksum(body)}\r\n`;
}

function cotUnit(uid: string, lat: number, lon: number, extra = ''): string {
  const now = new Date();
  const stale = new Date(now.getTime() + 60_000);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${uid}" type="a-f-G-U-C" time="${now.toISOString()}" start="${now.toISOString()}" stale="${stale.toISOString()}" how="m-g"><point lat="${lat}" lon="${lon}" hae="12" ce="5" le="9999999"/><detail><contact callsign="OPALE 02"/><track course="90" speed="3"/>${extra}</detail></event>`;
}

class LineClient {
  readonly lines: string[] = [];
  private buffer = '';
  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let index;
      while ((index = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, index));
        this.buffer = this.buffer.slice(index + 1);
      }
    });
  }
  static connect(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }
  send(value: unknown): void {
    this.socket.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }
}

describe('feed pipeline over real sockets', () => {
  let core: RunningCore;
  let dataDir: string;
  const clients: (LineClient | net.Socket | dgram.Socket)[] = [];
  const port = (name: string, transport: string) => core.feeds!.listeners.find((l) => l.name.startsWith(name) && l.transport === transport)!.port;
  const events = (kind: string) =>
    [...iterateEvents(core.db)].filter((event) => event.kind === kind).map((event) => ({ ...event, p: JSON.parse(event.payload) as Record<string, unknown> }));
  const stats = (key: string) => core.ingest.stats.list().find((s) => s.source === key);
  /** A contract call over the core's HTTP API, as a console or script makes it. */
  async function call<T>(method: string, params: object): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, {
      method: 'POST',
      headers: await apiHeaders(core),
      body: JSON.stringify(params),
    });
    const body = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
    return body.result;
  }

  before(async () => {
    dataDir = tempDataDir();
    const siteFile = path.join(dataDir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify(testSite(400)));
    core = await startCore({
      dataDir: path.join(dataDir, 'data'),
      logger: silentLogger,
      siteFile,
      rendererDir: dataDir,
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, nmea: { 'RAD-1': { udp: 0, tcp: 0 } } },
    });
  });
  after(async () => {
    for (const client of clients) {
      if (client instanceof LineClient) client.socket.destroy();
      else if (client instanceof net.Socket) client.destroy();
      else client.close();
    }
    await core.stop();
  });

  test('site sensors and units are logged once and in the picture', () => {
    assert.equal(events('site.sensor').length, 4);
    assert.equal(events('site.unit').length, 2);
    assert.equal(core.picture.units.get('U01')!.status, 'available');
  });

  test('JSON lines: a unit reports its position; a camera detection raises an alert in its sector', async () => {
    const unit = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(unit);
    unit.send({ v: 1, type: 'hello', unit: 'U01' });
    unit.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.93, lon: 1.76, heading: 270, speed: 12 });
    await until(() => core.picture.units.get('U01')?.lat === 50.93, 'the unit position');
    const position = events('unit.position').at(-1)!;
    assert.equal(position.source, 'json:U01');
    assert.deepEqual(position.p, { u: 'U01', lat: 50.93, lon: 1.76, hdg: 270, spd: 12, sec: position.p.sec });
    assert.match(String(position.p.sec), /^S\d\d$/);

    const camera = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(camera);
    camera.send({ v: 1, type: 'detection', sensor: 'CAM-2', detection: 'D1', kind: 'group-on-beach', lat: 50.95, lon: 1.74, confidence: 0.8, count: 35 });
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-2/D1'), 'the alert');
    assert.equal(alert.kind, 'group-on-beach');
    assert.equal(alert.severity, 'high');
    assert.equal(alert.count, 35);
    assert.ok(alert.sector, 'the alert has a sector');
    // The same detection repeated does not raise a second alert.
    camera.send({ v: 1, type: 'detection', sensor: 'CAM-2', detection: 'D1', kind: 'group-on-beach', lat: 50.95, lon: 1.74, confidence: 0.85, count: 40 });
    await until(() => events('detection').length === 2, 'the second detection');
    assert.equal(events('alert.raised').filter((e) => e.p.subj === 'det:CAM-2/D1').length, 1);
  });

  test('NMEA over UDP: a TTM target becomes a track at range and bearing from the radar', async () => {
    const udp = dgram.createSocket('udp4');
    clients.push(udp);
    // 5 NM due north-west of the radar, tracking, named as a small boat.
    udp.send(nmea('RATTM,07,5.00,315.0,T,6.5,330.0,T,1.2,15.0,N,SB7,T,,221500.00,A'), port('NMEA RAD-1', 'udp'), '127.0.0.1');
    const track = await until(() => core.picture.tracks.get('RAD-1:7'), 'the radar track');
    assert.equal(track.cls, 'small-boat');
    assert.ok(track.lat > 50.9 && track.lat < 50.94 && track.lon < 1.584, `${track.lat}, ${track.lon}`);
    await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'track:RAD-1:7'), 'the boat-at-sea alert');
    // Several sentences in one datagram, as some radars send them.
    udp.send(
      nmea('RATTM,21,2.00,290.0,T,11.0,40.0,T,1.0,9.0,N,V21,T,,221500.00,A') + nmea('RATLL,22,5056.00,N,00130.00,E,V22,221500.00,T,'),
      port('NMEA RAD-1', 'udp'),
      '127.0.0.1',
    );
    await until(() => core.picture.tracks.get('RAD-1:21') && core.picture.tracks.get('RAD-1:22'), 'both tracks of one datagram');
  });

  test('CoT over TCP: an event split across packets, and two in one packet', async () => {
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(port('CoT', 'tcp'), '127.0.0.1', () => resolve(s));
    });
    clients.push(socket);
    const first = cotUnit('ANDROID-U02', 50.86, 1.63);
    socket.write(first.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write(first.slice(100));
    await until(() => core.picture.units.get('U02')?.lat === 50.86, 'the CoT unit position');
    socket.write(cotUnit('ANDROID-U02', 50.861, 1.631) + cotUnit('ANDROID-U02', 50.862, 1.632));
    await until(() => core.picture.units.get('U02')?.lat === 50.862, 'both events of one packet');
  });

  test('JSON lines over WebSocket: several lines per message; refusals answered on the socket', async () => {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${port('JSON', 'ws')}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const replies: string[] = [];
    ws.on('message', (data) => replies.push(data.toString()));
    ws.send(
      [
        JSON.stringify({ v: 1, type: 'heartbeat', sensor: 'CAM-2' }),
        JSON.stringify({ v: 1, type: 'track', sensor: 'RAD-1', track: 'WS1', lat: 50.95, lon: 1.45, class: 'vessel' }),
      ].join('\n'),
    );
    ws.send('{"v":1,"type":"heartbeat"}');
    await until(() => core.picture.tracks.get('RAD-1:WS1'), 'the track sent over WebSocket');
    await until(() => replies.some((reply) => reply.includes('"bad-schema"')), 'the refusal reply');
    ws.close();
  });

  test('a web page cannot feed Vigie: HTTP requests on a feed port and browser WebSockets are refused', async () => {
    const client = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(client);
    const closed = new Promise((resolve) => client.socket.once('close', resolve));
    const key = `json/tcp/127.0.0.1:${client.socket.localPort}`;
    client.socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\r\n${JSON.stringify({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.5, lon: 1.6 })}\n`,
    );
    await closed;
    assert.deepEqual(stats(key)?.rejected, { unsupported: 1 });
    assert.equal(stats(key)?.accepted, 0);

    const { default: WebSocket } = await import('ws');
    const fromPage = new WebSocket(`ws://127.0.0.1:${port('JSON', 'ws')}`, { origin: 'http://evil.example' });
    const refused = await new Promise<number>((resolve) =>
      fromPage.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('open', () => resolve(101)),
    );
    assert.equal(refused, 401);
  });

  test('bad input is quarantined with its reason and raw bytes; the feed keeps going', async () => {
    const client = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(client);
    const before = core.ingest.stats.list().length;
    client.send('{not json');
    client.send({ v: 2, type: 'heartbeat', sensor: 'CAM-2' });
    client.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 95, lon: 1.7 });
    client.send({ v: 1, type: 'heartbeat', sensor: 'NOPE' });
    client.send({ v: 1, type: 'detection', sensor: 'CAM-1', detection: 'X', kind: 'vehicle', lat: 50.9, lon: 1.7, confidence: 0.5 });
    client.send(`{"v":1,"type":"heartbeat","sensor":"CAM-2","pad":"${'x'.repeat(20_000)}"}`);
    client.send({ v: 1, type: 'heartbeat', sensor: 'CAM-2' });
    const key = `json/tcp/127.0.0.1:${client.socket.localPort}`;
    const source = await until(() => stats(key)?.accepted === 1 && stats(key), 'the valid heartbeat after the bad lines');
    assert.deepEqual(source.rejected, { 'bad-json': 1, 'wrong-version': 1, 'out-of-range': 1, 'unknown-sensor': 1, 'bad-secret': 1, oversized: 1 });
    assert.ok(core.ingest.stats.list().length > before);
    // Each refusal is answered on the connection, for the device integrator.
    await until(() => client.lines.filter((line) => line.includes('"rejected"')).length === 6, 'six rejection replies');
    const entries = (await call<{ entries: { reason: string; preview: string; bytes: number }[] }>('quarantine.list', { limit: 50, source: key })).entries;
    assert.equal(entries.length, 6);
    assert.ok(entries.some((entry) => entry.reason === 'bad-json' && entry.preview === '{not json'));
    assert.ok(entries.some((entry) => entry.reason === 'oversized' && entry.bytes > 16_000));
  });

  test('a sensor with a shared secret reports only after a hello with that secret', async () => {
    const wrong = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(wrong);
    wrong.send({ v: 1, type: 'hello', sensor: 'CAM-1', secret: 'not-the-secret-at-all' });
    await until(() => wrong.lines.some((line) => line.includes('bad-secret')), 'the refusal of a wrong secret');

    const right = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(right);
    right.send({ v: 1, type: 'hello', sensor: 'CAM-1', secret: CAMERA_SECRET });
    right.send({ v: 1, type: 'detection', sensor: 'CAM-1', detection: 'D9', kind: 'boat-launch', lat: 50.89, lon: 1.65, confidence: 0.9 });
    await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-1/D9'), 'the authorised detection');
  });

  test('an assignment reaches the unit terminal: JSON line, and CoT tasking', async () => {
    const unit = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(unit);
    unit.send({ v: 1, type: 'hello', unit: 'U01' });
    unit.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.931, lon: 1.761 });
    await until(() => core.picture.units.get('U01')?.lat === 50.931, 'the unit on its new connection');
    const alert = [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-2/D1')!;
    const { incident } = await call<{ incident: string }>('alert.acknowledge', { alert: alert.id });
    const body = { result: await call<{ assignment: string; delivered: boolean }>('dispatch.assign', { incident, unit: 'U01' }) };
    assert.equal(body.result.delivered, true);
    const line = await until(() => unit.lines.find((l) => l.includes('"assignment"')), 'the assignment line');
    const order = JSON.parse(line) as Record<string, unknown>;
    assert.equal(order.type, 'assignment');
    assert.equal(order.unit, 'U01');
    assert.equal(order.incident, incident);
    unit.send({ v: 1, type: 'unit-ack', unit: 'U01', assignment: body.result.assignment, status: 'en-route' });
    await until(() => core.picture.units.get('U01')?.status === 'en-route', 'the unit en route');
    const action = events('dispatch.assigned').at(-1)!;
    assert.equal(action.operator, 'tester');

    // Double booking is refused with a reason.
    const again = await fetch(`http://127.0.0.1:${core.port}/api/dispatch.assign`, {
      method: 'POST',
      headers: await apiHeaders(core),
      body: JSON.stringify({ incident, unit: 'U01' }),
    });
    assert.equal(again.status, 409);

    // CoT unit: the tasking goes back down its TCP stream.
    const cot = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(port('CoT', 'tcp'), '127.0.0.1', () => resolve(s));
    });
    clients.push(cot);
    let received = '';
    cot.on('data', (chunk) => (received += chunk.toString()));
    cot.write(cotUnit('ANDROID-U02', 50.87, 1.64));
    await until(() => core.picture.units.get('U02')?.lat === 50.87, 'the CoT unit');
    assert.equal((await call<{ delivered: boolean }>('dispatch.assign', { incident, unit: 'U02' })).delivered, true);
    await until(() => received.includes('type="t-x-d"') && received.includes('</event>'), 'the CoT tasking event');
    assert.match(received, /uid="ANDROID-U02"/);
  });

  test('a TCP flood is held back, not dropped, and other sources keep flowing', async () => {
    const flooder = await LineClient.connect(port('JSON', 'tcp'));
    const quiet = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(flooder, quiet);
    const total = 2_000; // five seconds' worth at the test site's 400 msg/s
    const lines =
      Array.from({ length: total }, (_, i) =>
        JSON.stringify({ v: 1, type: 'track', sensor: 'RAD-1', track: `F${i % 50}`, lat: 50.9, lon: 1.5 + (i % 100) / 1000, class: 'vessel' }),
      ).join('\n') + '\n';
    flooder.socket.write(lines);
    const flooderKey = `json/tcp/127.0.0.1:${flooder.socket.localPort}`;
    await until(() => (stats(flooderKey)?.throttled ?? 0) > 0, 'the flood to be held back');
    // Meanwhile the quiet source gets through within a fraction of a second.
    const sentAt = Date.now();
    quiet.send({ v: 1, type: 'heartbeat', sensor: 'CAM-2' });
    const quietKey = `json/tcp/127.0.0.1:${quiet.socket.localPort}`;
    await until(() => stats(quietKey)?.accepted === 1, 'the quiet source during the flood', 2000);
    assert.ok(Date.now() - sentAt < 1500);
    assert.ok((stats(flooderKey)?.accepted ?? 0) < total, 'the flood is still being held back');
    // Nothing is lost: every flooded line is eventually accepted.
    await until(() => stats(flooderKey)?.accepted === total, 'all flooded lines', 15_000);
  });

  test('a UDP flood at 50,000 msg/s is limited per source and counted; others and the console keep going', async () => {
    const flooder = dgram.createSocket('udp4');
    clients.push(flooder);
    await new Promise<void>((resolve) => flooder.bind(0, '127.0.0.1', () => resolve()));
    const quiet = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(quiet);
    const quietKey = `json/tcp/127.0.0.1:${quiet.socket.localPort}`;
    const sentence = nmea('RATTM,09,3.00,300.0,T,12.0,45.0,T,2.0,10.0,N,V9,T,,221501.00,A');
    const sent = 50_000;
    // UDP sources are keyed by address (a sender picks its ports freely): count from here.
    const key = 'nmea/udp/127.0.0.1';
    const before = stats(key) ?? { accepted: 0, throttled: 0, rejected: {} };
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a full bucket
    const started = Date.now();
    let quietLatency = -1;
    let apiLatency = -1;
    // 50,000 datagrams over about a second, in bursts the socket buffer can hold.
    for (let i = 0; i < sent; i += 500) {
      for (let k = 0; k < 500; k++) flooder.send(sentence, port('NMEA RAD-1', 'udp'), '127.0.0.1');
      if (i === 25_000) {
        // Mid-flood: another source and a console request.
        const t0 = Date.now();
        quiet.send({ v: 1, type: 'heartbeat', sensor: 'CAM-2' });
        void until(() => stats(quietKey)?.accepted === 1, 'the quiet source', 3000).then(() => (quietLatency = Date.now() - t0));
        void call('picture.get', {}).then(() => (apiLatency = Date.now() - t0));
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await until(() => quietLatency >= 0 && apiLatency >= 0, 'the quiet source and the console during the flood', 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = stats(key)!;
    const s = {
      accepted: now.accepted - before.accepted,
      throttled: now.throttled - before.throttled,
      rejected: Object.values(now.rejected).reduce((a, b) => a + b, 0) - Object.values(before.rejected).reduce((a, b) => a + b, 0),
    };
    const elapsedSeconds = (Date.now() - started) / 1000;
    const counted = s.accepted + s.throttled + s.rejected;
    assert.ok(s.throttled > sent / 4, `throttled ${s.throttled} of ${sent}`);
    // A one-second burst plus the rate over the elapsed time, and no more.
    assert.ok(s.accepted <= 400 + 400 * elapsedSeconds + 20, `accepted ${s.accepted} in ${elapsedSeconds} s at 400/s`);
    // The kernel may drop datagrams before they reach us; none we received goes uncounted.
    assert.ok(counted <= sent && counted > sent / 2, `counted ${counted} of ${sent}`);
    assert.ok(quietLatency < 1000, `the quiet source waited ${quietLatency} ms`);
    assert.ok(apiLatency < 1000, `the console waited ${apiLatency} ms`);
  });

  test('a sensor past its heartbeat goes silent with an alert, and recovers when it speaks', async () => {
    await until(() => core.picture.sensors.get('CAM-2')?.health === 'silent', 'CAM-2 to go silent', 6000);
    assert.ok([...core.picture.alerts.values()].some((a) => a.kind === 'sensor-silent' && a.sensor === 'CAM-2'));
    const client = await LineClient.connect(port('JSON', 'tcp'));
    clients.push(client);
    client.send({ v: 1, type: 'heartbeat', sensor: 'CAM-2' });
    await until(() => core.picture.sensors.get('CAM-2')?.health === 'ok', 'CAM-2 to recover', 4000);
    assert.ok(events('sensor.recovered').some((e) => e.p.s === 'CAM-2'));
  });
});
