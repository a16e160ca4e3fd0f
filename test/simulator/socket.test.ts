// runSimulation against stand-ins for the core's feed listeners on random
// ports: real UDP datagrams, TCP streams and WebSockets, parsed on arrival.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { JsonInbound } from '../../shared/feeds/jsonLines';
import type { SimulationPorts } from '../../electron/simulator/simulate';
import { runSimulation } from '../../electron/simulator/simulate';
import { nightScenario as shippedNight, parseNmea, site, xmlAttrs } from './helpers';

// This stand-in core reads CoT streams as text: every phone speaks XML here (takPhones.test.ts sends protobuf to a real core).
const nightScenario = structuredClone(shippedNight);
nightScenario.tak.protobuf = [];
for (const device of nightScenario.tak.devices) device.format = 'xml';

interface StreamPeer {
  chunks: string[];
  ended: boolean;
  socket: net.Socket;
}

/** `!AIVDM,…*hh`: XOR of the characters between '!' and '*'. */
function aisChecksumOk(line: string): boolean {
  const match = /^!AIVDM,(.*)\*([0-9A-F]{2})$/.exec(line);
  if (!match) return false;
  let sum = 0;
  for (const c of `AIVDM,${match[1]}`) sum ^= c.charCodeAt(0);
  return sum === parseInt(match[2]!, 16);
}

class FakeCore {
  nmeaUdp = dgram.createSocket('udp4');
  cotUdp = dgram.createSocket('udp4');
  aisUdp = dgram.createSocket('udp4');
  datagrams = { nmea: [] as string[], cot: [] as string[], ais: [] as string[] };
  jsonPeers: StreamPeer[] = [];
  cotPeers: StreamPeer[] = [];
  nmeaPeers: StreamPeer[] = [];
  wsMessages = new Map<number, string[]>();
  wsClosed = 0;
  private servers: net.Server[] = [];
  private wss: WebSocketServer | undefined;
  ports!: SimulationPorts;
  /** Lines the test wants sent to a JSON connection once its hello names the unit. */
  onHello: (unit: string, socket: net.Socket) => void = () => {};
  onCotUid: (uid: string, socket: net.Socket) => void = () => {};

  async start(): Promise<void> {
    const bindUdp = (socket: dgram.Socket, sink: string[]) =>
      new Promise<number>((resolve) => {
        socket.on('message', (data) => sink.push(data.toString('utf8')));
        socket.bind(0, '127.0.0.1', () => resolve(socket.address().port));
      });
    const nmeaUdp = await bindUdp(this.nmeaUdp, this.datagrams.nmea);
    const cotUdp = await bindUdp(this.cotUdp, this.datagrams.cot);
    const aisUdp = await bindUdp(this.aisUdp, this.datagrams.ais);
    const json = await this.tcp(this.jsonPeers, (peer) => {
      const first = peer.chunks.join('').split('\n')[0];
      if (first && !peer.socket.readableEnded) {
        const hello = JSON.parse(first) as { unit?: string };
        if (hello.unit) this.onHello(hello.unit, peer.socket);
      }
    });
    const cot = await this.tcp(this.cotPeers, (peer) => {
      const uid = /uid="([^"]+)"/.exec(peer.chunks.join(''))?.[1];
      if (uid) this.onCotUid(uid, peer.socket);
    });
    const nmeaTcp = await this.tcp(this.nmeaPeers, () => {});
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => this.wss!.on('listening', resolve));
    let next = 0;
    this.wss.on('connection', (socket) => {
      const id = next++;
      this.wsMessages.set(id, []);
      socket.on('message', (data) => this.wsMessages.get(id)!.push(data.toString()));
      socket.on('close', () => (this.wsClosed += 1));
    });
    const ws = (this.wss.address() as AddressInfo).port;
    const radars = site.listeners.nmea.map((listener) => listener.sensor);
    const receivers = (site.listeners.ais ?? []).map((listener) => listener.sensor);
    this.ports = {
      cotUdp,
      cotTcp: cot,
      jsonTcp: json,
      jsonWs: ws,
      nmea: Object.fromEntries(radars.map((radar) => [radar, { udp: nmeaUdp, tcp: nmeaTcp }])),
      ais: Object.fromEntries(receivers.map((receiver) => [receiver, { udp: aisUdp }])),
    };
  }

  private async tcp(peers: StreamPeer[], onFirstData: (peer: StreamPeer) => void): Promise<number> {
    const server = net.createServer((socket) => {
      const peer: StreamPeer = { chunks: [], ended: false, socket };
      peers.push(peer);
      socket.setEncoding('utf8');
      socket.on('data', (data: string) => {
        peer.chunks.push(data);
        if (peer.chunks.length === 1) onFirstData(peer);
      });
      socket.on('end', () => {
        peer.ended = true;
        socket.end();
      });
      socket.on('error', () => {});
    });
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.nmeaUdp.close();
    this.cotUdp.close();
    this.aisUdp.close();
    for (const peers of [this.jsonPeers, this.cotPeers, this.nmeaPeers]) for (const peer of peers) peer.socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await new Promise((resolve) => this.wss?.close(resolve));
  }
}

describe('runSimulation over real sockets', () => {
  const core = new FakeCore();
  before(() => core.start());
  after(() => core.stop());

  test('NMEA datagrams, JSON lines (hello first) and CoT events arrive and parse; units answer taskings; abort stops it cleanly', async () => {
    // Task one JSON unit and one CoT unit as soon as they show up.
    core.onHello = (unit, socket) => {
      if (unit === 'U01')
        socket.write(
          `${JSON.stringify({ v: 1, type: 'assignment', assignment: 'A-SOCK-1', unit: 'U01', incident: 'I-1', kind: 'boat-launch', lat: 51.07, lon: 2.45, time: new Date().toISOString() })}\n`,
        );
    };
    core.onCotUid = (uid, socket) => {
      if (uid === 'ANDROID-U03') {
        socket.write(
          `<event version="2.0" uid="task-1" type="t-x-d" time="2026-01-15T21:00:00Z" start="2026-01-15T21:00:00Z" stale="2026-01-15T22:00:00Z" how="h-g-i-g-o"><point lat="50.99" lon="2.05" hae="0" ce="9999999" le="9999999"/><detail><vigie assignment="A-SOCK-3" incident="I-3" status="assigned" kind="boat-launch" sector="S09"/></detail></event>`,
        );
      }
    };
    const controller = new AbortController();
    const logs: string[] = [];
    const running = runSimulation({
      site,
      scenario: nightScenario,
      seed: 99,
      speed: 10,
      host: '127.0.0.1',
      ports: core.ports,
      signal: controller.signal,
      log: (line) => logs.push(line),
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    controller.abort();
    const counts = await running;
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Counts: about 20 simulated seconds, every protocol present.
    assert.ok(counts.simulatedSeconds >= 15 && counts.simulatedSeconds <= 22, `${counts.simulatedSeconds} s`);
    assert.ok(counts.sent.nmea.TTM! > 1_000 && counts.sent.nmea.TLL! > 50, JSON.stringify(counts.sent.nmea));
    assert.ok(counts.sent.json.hello! >= site.units.filter((unit) => unit.device.protocol === 'json').length);
    assert.ok(counts.sent.json['unit-position']! > 0 && counts.sent.json.heartbeat! > 0);
    assert.ok(counts.sent.cot['a-f-G-U-C']! > 0 && counts.sent.cot['a-f-A-M-F-Q']! > 0);
    assert.equal(counts.received.assignments, 2);
    assert.equal(counts.totals.all, counts.totals.nmea + counts.totals.json + counts.totals.cot + counts.totals.ais);
    // AIS over UDP: the receiver forwards !AIVDM lines (a type 5's two sentences in one datagram), every checksum right.
    assert.ok(counts.sent.ais.type1! > 20 && counts.sent.ais.type5! > 0, JSON.stringify(counts.sent.ais));
    assert.ok(core.datagrams.ais.length >= 0.99 * counts.totals.ais, `${core.datagrams.ais.length} of ${counts.totals.ais} AIS datagrams arrived`);
    for (const datagram of core.datagrams.ais) for (const line of datagram.split('\r\n').filter(Boolean)) assert.ok(aisChecksumOk(line), line);

    // NMEA over TCP (RAD-TOUQUET in the scenario): sentences back to back.
    const nmeaStream = core.nmeaPeers.map((peer) => peer.chunks.join('')).join('');
    const streamed = nmeaStream.split('\r\n').filter(Boolean);
    assert.ok(streamed.length > 10);
    for (const line of streamed) assert.ok(parseNmea(`${line}\r\n`).checksumOk);
    // NMEA over UDP: one sentence per datagram, valid, paced so that none is lost on the way.
    const udpSent = counts.sent.nmea.TTM! + counts.sent.nmea.TLL! - streamed.length;
    assert.ok(core.datagrams.nmea.length >= 0.99 * udpSent, `${core.datagrams.nmea.length} of ${udpSent} datagrams arrived`);
    for (const datagram of core.datagrams.nmea) {
      const s = parseNmea(datagram);
      assert.ok(s.checksumOk && datagram.length <= 82);
    }

    // JSON over TCP: one connection per sensor and unit, each opening with its hello, every line valid.
    const helloes = new Set<string>();
    for (const peer of core.jsonPeers) {
      const lines = peer.chunks.join('').split('\n').filter(Boolean);
      const hello = JSON.parse(lines[0]!) as { type: string; unit?: string; sensor?: string };
      assert.equal(hello.type, 'hello');
      helloes.add(hello.unit ?? hello.sensor!);
      for (const line of lines) assert.ok(JsonInbound.safeParse(JSON.parse(line)).success, line);
    }
    for (const unit of site.units) if (unit.device.protocol === 'json' && unit.id !== 'U22') assert.ok(helloes.has(unit.id), unit.id);
    assert.ok(helloes.has('CAM-SANGATTE') && helloes.has('RAD-GRISNEZ') && helloes.has('OPT-ALPRECH'));
    const u01 = core.jsonPeers.find((peer) => peer.chunks.join('').startsWith('{"v":1,"type":"hello","unit":"U01"}'))!;
    assert.match(u01.chunks.join(''), /"type":"unit-ack"[^\n]*"unit":"U01","assignment":"A-SOCK-1","status":"en-route"/);

    // JSON over WebSocket (CAM-BERCK and U22 in the scenario): hello first too.
    const wsFirst = [...core.wsMessages.values()].map((messages) => JSON.parse(messages[0]!) as { unit?: string; sensor?: string });
    assert.deepEqual(wsFirst.map((hello) => hello.unit ?? hello.sensor).sort(), ['CAM-BERCK', 'U22']);

    // CoT over TCP: events back to back, one connection per CoT unit; U03 answered its tasking.
    const cotUids = new Set<string>();
    for (const peer of core.cotPeers) {
      const events = peer.chunks
        .join('')
        .split('</event>')
        .filter(Boolean)
        .map((event) => `${event}</event>`);
      for (const event of events) {
        const attrs = xmlAttrs(event, 'event')!;
        assert.equal(attrs.version, '2.0');
        assert.ok(!Number.isNaN(Date.parse(attrs.time!)) && Date.parse(attrs.stale!) > Date.parse(attrs.time!));
        cotUids.add(attrs.uid!);
      }
    }
    for (const unit of site.units) if (unit.device.protocol === 'cot') assert.ok(cotUids.has(unit.device.uid), unit.device.uid);
    const u03 = core.cotPeers.find((peer) => peer.chunks.join('').includes('uid="ANDROID-U03"'))!.chunks.join('');
    assert.match(u03, /type="y-a"[^]*<vigie status="en-route" assignment="A-SOCK-3"\/>/);
    // CoT over UDP (the drones): one event per datagram, positions every 2 simulated seconds.
    assert.ok(core.datagrams.cot.length >= 10);
    for (const datagram of core.datagrams.cot) {
      assert.ok(datagram.startsWith('<event ') && datagram.endsWith('</event>'));
      assert.equal(
        xmlAttrs(datagram, 'event')!.type!.startsWith('a-f-A') ||
          xmlAttrs(datagram, 'event')!.type === 'b-m-p-s-p-i' ||
          xmlAttrs(datagram, 'event')!.type === 'a-s-S',
        true,
      );
    }

    // Stopped cleanly: every stream closed from our side.
    for (const peer of [...core.jsonPeers, ...core.cotPeers, ...core.nmeaPeers]) assert.ok(peer.ended, 'the simulator ended the connection');
    assert.equal(core.wsClosed, core.wsMessages.size);
    assert.ok(logs.some((line) => line.startsWith('simulating')) && logs.some((line) => line.startsWith('stopped after')));
  });

  test('stops by itself after durationSeconds of simulated time', async () => {
    const started = performance.now();
    const counts = await runSimulation({
      site,
      scenario: nightScenario,
      seed: 1,
      speed: 20,
      durationSeconds: 8,
      host: '127.0.0.1',
      ports: core.ports,
      tickMs: 100,
    });
    assert.equal(counts.simulatedSeconds, 8);
    assert.ok(performance.now() - started < 3_000);
  });

  test('with no core listening, nothing blocks: it runs, retries and stops on time', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        server.close(() => resolve(port));
      });
    });
    const ports: SimulationPorts = {
      cotUdp: closed,
      cotTcp: closed,
      jsonTcp: closed,
      jsonWs: closed,
      nmea: Object.fromEntries(site.listeners.nmea.map((listener) => [listener.sensor, { udp: closed, tcp: closed }])),
      ais: Object.fromEntries((site.listeners.ais ?? []).map((listener) => [listener.sensor, { udp: closed, tcp: closed }])),
    };
    const logs: string[] = [];
    const started = performance.now();
    const counts = await runSimulation({
      site,
      scenario: nightScenario,
      seed: 1,
      speed: 10,
      durationSeconds: 10,
      host: '127.0.0.1',
      ports,
      log: (line) => logs.push(line),
    });
    assert.ok(performance.now() - started < 2_500);
    assert.equal(counts.connects, 0);
    assert.equal(counts.totals.json, 0);
    assert.ok(counts.totals.nmea > 0, 'UDP is fire-and-forget');
    assert.ok(counts.skippedStale > 0, 'positions waiting for a connection were replaced by newer ones');
    assert.ok(logs.some((line) => /cannot connect \(ECONNREFUSED\)/.test(line)));
  });
});
