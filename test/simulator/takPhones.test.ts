// Patrols with ATAK phones in the simulator (issue 13 item 9): what the
// phones send is read by the core's own readers — the XML by parseCotEvent,
// the protobuf by the core's protobufjs decoder, an independent writer
// checked against an independent reader — and a simulated night against a
// real core shows the unregistered devices, their points, the emergency and
// its cancel; a device registered by a supervisor is dispatched, gets its
// tasking in protobuf and answers in GeoChat, as does a chat the console sends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { parseCotEvent } from '../../electron/core/feeds/cot/parseCotEvent';
import type { FeedMessage } from '../../electron/core/feeds/feedMessage';
import { takToXml } from '../../electron/core/feeds/tak/takProtocol';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import type { Scenario } from '../../electron/simulator/scenario';
import { runSimulation } from '../../electron/simulator/simulate';
import type { SimMessage } from '../../electron/simulator/simulation';
import { TakStreamSplitter } from '../../electron/simulator/transport/framing';
import { encodeTakMessage, takStreamFrame } from '../../electron/simulator/encode/takProtocol';
import { signInHeaders, tempDataDir, until } from '../helpers';
import { nightScenario, run, simulation, site, siteFile } from './helpers';

const CUSTOMS = 'ANDROID-5c1e0d7a93b24f18'; // protobuf in the demo night
const GENDARMES = 'ANDROID-a4f2c9e17b6d3085'; // XML, and the night's emergency

/** The demo night's phones, with the emergency early and short. */
function tweak(scenario: Scenario): void {
  scenario.tak.emergency = { device: GENDARMES, afterMinutes: 0.5, cancelAfterMinutes: 0.5 };
}

/** What the core reads from one of the simulator's messages: its XML, and the same event's protobuf frame when it has one. */
function read(message: SimMessage, now: number): { xml: FeedMessage[]; protobuf?: FeedMessage[] } {
  const xml = parseCotEvent(message.text, { ...site, units: site.units }, now);
  assert.ok(xml.ok, `${message.kind}: ${JSON.stringify(xml)}`);
  if (!message.bytes) return { xml: xml.messages };
  const frame = Buffer.from(message.bytes);
  assert.equal(frame[0], 0xbf, 'a TAK Protocol stream frame');
  // 0xbf, the length as a varint, the message: read here, not by the simulator's code.
  let length = 0;
  let at = 1;
  for (let scale = 1; ; scale *= 128) {
    const byte = frame[at++]!;
    length += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
  }
  assert.equal(frame.length, at + length, 'exactly one whole frame');
  const payload = frame.subarray(at);
  const decoded = takToXml(payload);
  assert.ok(decoded.ok, JSON.stringify(decoded));
  const protobuf = parseCotEvent(decoded.xml, site, now);
  assert.ok(protobuf.ok, JSON.stringify(protobuf));
  return { xml: xml.messages, protobuf: protobuf.messages };
}

describe('ATAK phones in the model', () => {
  test('self-reports say what ATAK says; protobuf and XML read the same', () => {
    const sim = simulation(7, tweak);
    const messages = run(sim, 20).filter((message) => message.kind === 'a-f-G-U-C');
    const now = sim.stamp();
    const customs = messages.filter((message) => message.endpoint === `cot:${CUSTOMS}`);
    assert.ok(customs.length >= 3, 'a report every 5 s');
    for (const message of customs) {
      const { xml, protobuf } = read(message, now);
      assert.deepEqual(protobuf, xml, 'the same feed messages from the protobuf frame');
      const report = xml[0] as Extract<FeedMessage, { type: 'device-report' }>;
      assert.equal(report.type, 'device-report', 'unregistered: a device, not a unit');
      assert.equal(report.callsign, 'DOUANE 62');
      assert.deepEqual([report.team, report.role, report.platform], ['Orange', 'Team Lead', 'ATAK-CIV']);
      assert.ok(report.battery! >= 5 && report.battery! <= 100);
    }
    // A site unit's phone in XML stays a unit's position; U09's speaks protobuf.
    const u03 = messages.find((message) => message.endpoint === 'cot:U03')!;
    assert.equal(u03.bytes, undefined);
    assert.equal(read(u03, now).xml[0]!.type, 'unit-position');
    const u09 = messages.find((message) => message.endpoint === 'cot:U09')!;
    assert.equal(read(u09, now).protobuf![0]!.type, 'unit-position');
  });

  test('one emergency in the night, then its cancel, from the planned phone', () => {
    const sim = simulation(7, tweak);
    const emergencies = run(sim, 75).filter((message) => message.kind.startsWith('b-a-o'));
    assert.deepEqual(
      emergencies.map((message) => [message.kind, message.endpoint]),
      [
        ['b-a-o-tbl', `cot:${GENDARMES}`],
        ['b-a-o-can', `cot:${GENDARMES}`],
      ],
    );
    const [raised, cancelled] = emergencies.map((message) => read(message, sim.stamp()).xml[0] as Extract<FeedMessage, { type: 'emergency' }>);
    assert.deepEqual([raised!.kind, raised!.uid, raised!.callsign], ['911', GENDARMES, 'GENDARMERIE WIMEREUX']);
    assert.equal(cancelled!.kind, 'cancel');
  });

  test('a phone near a gathering group places a hostile or unknown point on it, once', () => {
    const sim = simulation(11, (scenario) => {
      tweak(scenario);
      scenario.tak.markWithinMeters = 20_000;
    });
    const launch = sim.startLaunch();
    const points = run(sim, 30).filter((message) => message.kind === 'a-h-G' || message.kind === 'a-u-G');
    assert.equal(points.length, 1, 'one point per group');
    const point = read(points[0]!, sim.stamp()).xml[0] as Extract<FeedMessage, { type: 'field-point' }>;
    assert.equal(point.type, 'field-point');
    assert.equal(point.remarks, `Environ ${launch.people} personnes sur la plage`);
    assert.ok(Math.abs(point.lat - launch.spot[1]) < 0.001 && Math.abs(point.lon - launch.spot[0]) < 0.001, 'on the group');
  });

  test('a phone reads tasking and chat in protobuf frames cut anywhere', () => {
    const splitter = new TakStreamSplitter(64 * 1024);
    const frame = takStreamFrame(
      encodeTakMessage({
        type: 't-x-d',
        uid: 'X',
        time: 0,
        stale: 60_000,
        how: 'm-g',
        lat: 50.9,
        lon: 1.7,
        hae: 0,
        ce: 10,
        le: 10,
        xmlDetail: '<vigie assignment="A-1" status="assigned"/>',
      }),
    );
    const bytes = Buffer.concat([frame, Buffer.from('<event uid="Y" type="b-t-f"><point lat="1" lon="2"/></event>'), frame]);
    const events: string[] = [];
    for (let i = 0; i < bytes.length; i += 7) events.push(...splitter.push(bytes.subarray(i, i + 7)));
    assert.equal(events.length, 3);
    assert.match(
      events[0]!,
      /^<event version="2.0" type="t-x-d" uid="X" time="1970-01-01T00:00:00.000Z" stale="1970-01-01T00:01:00.000Z" how="m-g"><point lat="50.9" lon="1.7"\/><detail><vigie assignment="A-1" status="assigned"\/><\/detail><\/event>$/,
    );
    assert.match(events[1]!, /type="b-t-f"/);
    assert.equal(splitter.dropped, 0);
  });
});

describe('ATAK phones against a real core', () => {
  let core: RunningCore;
  const controller = new AbortController();
  let night: Promise<unknown>;
  const logged = (kind: string) => [...iterateEvents(core.db)].filter((e) => e.kind === kind).map((e) => JSON.parse(e.payload) as Record<string, unknown>);

  before(async () => {
    const dir = tempDataDir();
    fs.copyFileSync(siteFile, path.join(dir, 'site.json'));
    core = await startCore({
      dataDir: path.join(dir, 'data'),
      logger: silentLogger,
      siteFile: path.join(dir, 'site.json'),
      rendererDir: dir,
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, nmea: new Proxy({}, { get: () => ({ udp: 0, tcp: 0 }) }), ais: {} },
    });
    const port = (name: string, transport: string) => core.feeds!.listeners.find((l) => l.name.startsWith(name) && l.transport === transport)!.port;
    const nmea = Object.fromEntries(
      site.listeners.nmea.map((radar) => [radar.sensor, { udp: port(`NMEA ${radar.sensor}`, 'udp'), tcp: port(`NMEA ${radar.sensor}`, 'tcp') }]),
    );
    const scenario = structuredClone(nightScenario);
    tweak(scenario);
    night = runSimulation({
      site,
      scenario,
      seed: 20261205,
      speed: 10,
      ports: { cotUdp: port('CoT', 'udp'), cotTcp: port('CoT', 'tcp'), jsonTcp: port('JSON', 'tcp'), jsonWs: port('JSON', 'ws'), nmea },
      signal: controller.signal,
    });
  });
  after(async () => {
    controller.abort();
    await night;
    await core.stop();
  });

  test('the phones the site does not know show as devices; the emergency comes and is cancelled; nothing quarantined', async () => {
    await until(() => core.devices.get(CUSTOMS) && core.devices.get(GENDARMES), 'both phones as unregistered devices', 30_000);
    assert.ok(!core.devices.get(CUSTOMS)!.unit, 'not registered yet');
    await until(() => logged('emergency.cancelled').length === 1, 'the 911 and its cancel', 60_000);
    assert.equal(logged('emergency.raised')[0]!.uid, GENDARMES);
    const quarantined = core.db.prepare("SELECT reason, detail FROM quarantine WHERE detail LIKE '%ANDROID%'").all();
    assert.deepEqual(quarantined, []);
  });

  test('registered, the protobuf phone is dispatched, gets its tasking and answers in GeoChat', async () => {
    const headers = await signInHeaders(core, 'chef', 'supervisor');
    const call = async <T>(method: string, params: object) =>
      (await (await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) })).json()) as {
        ok: boolean;
        result: T;
      };
    const registered = await call<{ unit: string }>('devices.register', { device: CUSTOMS, create: { callsign: 'DOUANE 62', type: '4x4', crew: 2 } });
    assert.ok(registered.ok, JSON.stringify(registered));
    const unit = registered.result.unit;
    await until(() => logged('unit.position').some((position) => position.u === unit), 'the phone now moves its unit');

    const camera = net.connect(core.feeds!.listeners.find((l) => l.name.startsWith('JSON') && l.transport === 'tcp')!.port, '127.0.0.1');
    camera.write(
      `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'T1', kind: 'group-on-beach', lat: 50.9505, lon: 1.7402, confidence: 0.8 })}\n`,
    );
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-SANGATTE/T1'), 'the alert');
    camera.destroy();
    const { result } = await call<{ incident: string }>('alert.acknowledge', { alert: alert.id });
    assert.equal((await call<{ delivered: boolean }>('dispatch.assign', { incident: result.incident, unit })).result.delivered, true);
    const answer = await until(() => logged('chat.received').find((chat) => chat.uid === CUSTOMS && chat.text === 'En route'), 'the GeoChat answer', 30_000);
    assert.equal(answer.room, 'All Chat Rooms');
  });
});
