// AIS through a real core over real loopback sockets: a receiver's lines over
// UDP and TCP, logged (positions packed), projected as vessels, bad input
// quarantined with its raw text, nothing else lost.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import { aisPositionReport, aisStaticReport } from '../../electron/simulator/encode/ais';
import type { Site } from '../../shared/site';
import { tempDataDir, until } from '../helpers';

const site: Site = {
  version: 1,
  name: 'AIS test post',
  escalateAfterSeconds: 120,
  coverageEtaMinutes: 15,
  listeners: {
    host: '127.0.0.1',
    cot: { udp: 0, tcp: 0, multicast: false },
    nmea: [],
    ais: [{ sensor: 'AIS-1', udp: 0, tcp: 0 }],
    json: { tcp: 0, ws: 0 },
    perSourceRate: 5000,
  },
  sensors: [{ id: 'AIS-1', kind: 'ais', name: 'AIS Gris-Nez', position: [1.5835, 50.8714], rangeMeters: 74000, heartbeatSeconds: 600 }],
  units: [],
};

const FERRY = {
  mmsi: 235123456,
  imo: 9506291,
  callsign: 'MVEL7',
  name: 'SPIRIT OF BRITAIN',
  shipType: 60,
  toBow: 150,
  toStern: 63,
  toPort: 15,
  toStarboard: 16,
  eta: { month: 12, day: 4, hour: 21, minute: 30 },
  draught: 6.8,
  destination: 'CALAIS',
};

describe('AIS feed over real sockets', () => {
  let core: RunningCore;
  /** The core's clock, which the last test moves on (ships expire after 20 minutes). */
  let skew = 0;
  const sockets: (net.Socket | dgram.Socket)[] = [];
  const listener = (transport: string) => core.feeds!.listeners.find((l) => l.protocol === 'ais' && l.transport === transport)!;
  const events = (kind: string) => [...iterateEvents(core.db)].filter((event) => event.kind === kind);
  const quarantined = () =>
    core.db.prepare("SELECT reason, detail, CAST(raw AS TEXT) AS raw FROM quarantine WHERE protocol = 'ais' ORDER BY id").all() as {
      reason: string;
      detail: string;
      raw: string;
    }[];

  before(async () => {
    const dir = tempDataDir();
    const siteFile = path.join(dir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify(site));
    core = await startCore({
      dataDir: path.join(dir, 'data'),
      logger: silentLogger,
      siteFile,
      rendererDir: dir,
      clock: { now: () => Date.now() + skew },
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, ais: { 'AIS-1': { udp: 0, tcp: 0 } } },
    });
  });
  after(async () => {
    for (const socket of sockets) {
      if (socket instanceof net.Socket) socket.destroy();
      else socket.close();
    }
    await core.stop();
  });

  test('the receiver is listed with protocol ais on UDP and TCP', () => {
    assert.equal(listener('udp').sensor, 'AIS-1');
    assert.equal(listener('tcp').sensor, 'AIS-1');
  });

  test('a type 5 in two parts in one datagram and a type 1 over TCP make a named vessel with a position', async () => {
    const udp = dgram.createSocket('udp4');
    sockets.push(udp);
    const parts = aisStaticReport(FERRY, 3);
    assert.equal(parts.length, 2);
    await new Promise<void>((done) => udp.send(parts.join(''), listener('udp').port, '127.0.0.1', () => done()));
    const tcp = net.connect(listener('tcp').port, '127.0.0.1');
    sockets.push(tcp);
    // Receiver metadata after the checksum, and a TAG block, as real forwarders send them.
    const [line] = aisPositionReport({ mmsi: FERRY.mmsi, lat: 50.9612, lon: 1.8012, speed: 18.5, course: 301.2, heading: 300, second: 12 });
    tcp.write(
      `\\s:AIS-1,c:${Math.floor(Date.now() / 1000)}*${tagChecksum(`s:AIS-1,c:${Math.floor(Date.now() / 1000)}`)}\\${line!.trimEnd()},d-109,S2105,t050056.00\r\n`,
    );
    const vessel = await until(() => {
      const found = core.vessels.vessels.get(FERRY.mmsi);
      return found?.name && found.lat !== null ? found : undefined;
    }, 'the ferry in the picture');
    assert.equal(vessel.name, 'SPIRIT OF BRITAIN');
    assert.equal(vessel.callsign, 'MVEL7');
    assert.equal(vessel.imo, 9506291);
    assert.equal(vessel.shipType, 60);
    assert.equal(vessel.length, 213);
    assert.equal(vessel.beam, 31);
    assert.equal(vessel.destination, 'CALAIS');
    assert.equal(vessel.eta, '12-04T21:30');
    assert.equal(vessel.draught, 6.8);
    assert.equal(vessel.lat, 50.9612);
    assert.equal(vessel.lon, 1.8012);
    assert.equal(vessel.speed, 18.5);
    assert.equal(vessel.course, 301.2);
    assert.equal(vessel.heading, 300);
    const position = events('ais.position').at(-1)!;
    assert.ok(position.packed, 'position reports are stored packed');
    assert.ok(position.packed.length <= 30, `${position.packed.length} bytes`);
    assert.equal(events('ais.static').length, 1);
    assert.equal(position.source, 'ais:AIS-1');
  });

  test('bad input is quarantined with its raw text, never drawn, and the next good line is read', async () => {
    const tcp = net.connect(listener('tcp').port, '127.0.0.1');
    sockets.push(tcp);
    const before = events('ais.position').length;
    const [good] = aisPositionReport({ mmsi: 227006760, lat: 50.75, lon: 1.55, speed: 0, course: 0, second: 1 });
    const [zero] = aisPositionReport({ mmsi: 0, lat: 50.75, lon: 1.55, speed: 0, course: 0, second: 1 });
    const [notAvailable] = aisPositionReport({ mmsi: 227006761, lat: 91, lon: 181, speed: 0, course: 0, second: 1 });
    const [lonely] = aisStaticReport({ ...FERRY, mmsi: 228000001 }, 7);
    tcp.write(
      [
        good!.replace(/\*[0-9A-F]{2}/, '*00'),
        zero!,
        notAvailable!,
        lonely!,
        // Fill bits 7: there are at most 5.
        `!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,7*${tagChecksum('AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,7')}\r\n`,
        good!,
      ].join(''),
    );
    await until(() => events('ais.position').length >= before + 2, 'the good lines logged');
    const reasons = quarantined().map((q) => q.reason);
    assert.deepEqual(reasons.slice(0, 3), ['bad-checksum', 'out-of-range', 'bad-sentence']);
    assert.match(quarantined()[1]!.detail, /MMSI 0/);
    assert.match(quarantined()[2]!.detail, /fill bits/);
    // Lat 91 / lon 181: logged without a position, never drawn.
    const vessel = core.vessels.vessels.get(227006761);
    assert.ok(vessel, 'the ship is known');
    assert.equal(vessel.lat, null);
    // The first half of a type 5 with no second half: quarantined after the timeout, with its raw line.
    const orphan = await until(() => quarantined().find((q) => /never came within 5 s/.test(q.detail)), 'the orphan given up', 9000);
    assert.equal(orphan.raw, lonely!.trimEnd());
    assert.equal(core.vessels.vessels.get(228000001), undefined);
  });

  test('base stations and other types are logged, not drawn; ships not heard for 20 minutes leave the picture', async () => {
    const udp = dgram.createSocket('udp4');
    sockets.push(udp);
    // The libais examples of a base station (type 4) and a binary broadcast (type 8), with their receiver metadata.
    const lines = [
      '!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28,d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001',
      '!AIVDM,1,1,,B,803Ovrh0EP:024`@02PN04da=3V<>N0000,4*39,d-088,S1811,t050248.00,T48.29708209,r003669945,1325394169,1325394109',
    ];
    await new Promise<void>((done) => udp.send(lines.join('\r\n'), listener('udp').port, '127.0.0.1', () => done()));
    const station = await until(() => events('ais.station')[0], 'the base station logged');
    assert.deepEqual(JSON.parse(station.payload), { m: 3669713, msg: 4, s: 'AIS-1' });
    const other = await until(() => events('ais.other')[0], 'the type 8 logged');
    assert.deepEqual(JSON.parse(other.payload), { m: 3669739, msg: 8, s: 'AIS-1' });
    assert.equal(core.vessels.vessels.has(3669713), false, 'a base station is not a ship');
    assert.ok(core.vessels.vessels.size >= 2);
    skew += 21 * 60_000;
    const expired = await until(() => events('ais.expired')[0], 'ships to expire', 15_000);
    assert.ok((JSON.parse(expired.payload) as { m: number[] }).m.includes(FERRY.mmsi));
    assert.equal(core.vessels.vessels.size, 0);
  });
});

function tagChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}
