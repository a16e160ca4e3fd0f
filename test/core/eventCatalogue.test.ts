// The event catalogue (electron/core/log/eventCatalogue.ts) against what is
// really logged: a demo night recorded through a real in-process core — the
// night simulator over the feed sockets, operators over the API, the core's
// own events (start, stop, sensor health, throttling, refusals at the door)
// — and the bench's generated 12-hour shift. Every event must be of a kind in
// the catalogue with a payload its schema accepts. And docs/events.md, which
// describes the log in prose, must list every kind and its payload keys.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { shiftBlocks } from '../../bench/shiftLog';
import { startCore, type RunningCore } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/database';
import { nmeaChecksum } from '../../electron/core/feeds/nmea/parseNmeaSentence';
import { EVENT_CATALOGUE, EVENT_KINDS, checkPayload, type EventKind } from '../../electron/core/log/eventCatalogue';
import { iterateEvents, readEvents } from '../../electron/core/log/eventLog';
import { CENTRE_LOG_DIR, Centre } from '../../electron/core/federation/centre';
import { startNats } from '../federation/natsServer';
import { silentLogger } from '../../electron/core/logger';
import { defaultSiteFile, projectRoot } from '../../electron/core/paths';
import { readSite } from '../../electron/core/site/siteConfig';
import type { Site } from '../../shared/site';
import { defaultScenarioFile, readScenario } from '../../electron/simulator/scenario';
import { runSimulation, type SimulationPorts } from '../../electron/simulator/simulate';
import type { AlertView, IncidentView, UnitView } from '../../shared/contract';
import { refreshTimes } from '../feeds/takTimes';
import { ManualClock } from '../../shared/clock';
import { NIGHTS, writeThreeNights } from './archiveFixture';
import { TEST_PASSWORD, Terminal, apiHeaders, roomCall, tempDataDir, until } from '../helpers';

/** Kinds found, and the first event of each kind whose payload does not fit. */
interface Findings {
  counts: Map<string, number>;
  misfits: string[];
}

function check(findings: Findings, event: { seq?: number; kind: string; payload: unknown }, where: string): void {
  findings.counts.set(event.kind, (findings.counts.get(event.kind) ?? 0) + 1);
  const problem = checkPayload(event.kind, event.payload);
  if (problem && findings.misfits.length < 20) findings.misfits.push(`${where} ${event.seq ?? ''} ${event.kind} ${JSON.stringify(event.payload)}: ${problem}`);
}

describe('the event catalogue', () => {
  const found: Findings = { counts: new Map(), misfits: [] };

  test('a demo night recorded through a real core: every event is a catalogue kind whose payload fits its schema', { timeout: 120_000 }, async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    // The shipped post, with alerts escalating after a second and one camera that never speaks (it goes silent, then recovers).
    const shipped = readSite(defaultSiteFile);
    // Two scheduled backups, due twenty minutes after the start (after the flood below): one succeeds, one (its folder under a file) fails.
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const site: Site = {
      ...shipped,
      backups: [
        { to: path.join(dir, 'backup'), everyMinutes: 20 },
        { to: path.join(dir, 'a-file', 'backup'), everyMinutes: 20 },
      ],
      escalateAfterSeconds: 1,
      sensors: [
        ...shipped.sensors,
        {
          id: 'CAM-QUIET',
          kind: 'camera',
          name: 'Camera never heard',
          position: [1.7, 50.9],
          bearing: 300,
          fieldOfView: 60,
          rangeMeters: 2000,
          heartbeatSeconds: 1,
        },
      ],
    };
    const siteFile = path.join(dir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify(site));
    // The wall clock, which the test can move forward (tracks expire after 10 minutes).
    let skew = 0;
    const clock = { now: () => Date.now() + skew };
    const nmeaPorts = Object.fromEntries(site.listeners.nmea.map((l) => [l.sensor, { udp: 0, tcp: 0 }]));
    const aisPorts = Object.fromEntries((site.listeners.ais ?? []).map((l) => [l.sensor, { udp: 0, tcp: 0 }]));
    const core: RunningCore = await startCore({
      dataDir,
      logger: silentLogger,
      siteFile,
      rendererDir: dir,
      clock,
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, nmea: nmeaPorts, ais: aisPorts },
      backupCheckMs: 100,
      room: { host: '127.0.0.2', port: 0 },
    });
    const sockets: (net.Socket | dgram.Socket)[] = [];
    let stopped = false;
    after(async () => {
      for (const socket of sockets) {
        if (socket instanceof net.Socket) socket.destroy();
        else socket.close();
      }
      if (!stopped) await core.stop();
    });

    const call = async <T>(method: string, params: object = {}, session?: string, secret = core.secret): Promise<T> => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        ...(session ? { 'x-vigie-session': session } : {}),
      };
      const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
      return ((await response.json()) as { result: T }).result;
    };
    const listener = (protocol: string, transport: string, sensor?: string) =>
      core.feeds!.listeners.find((l) => l.protocol === protocol && l.transport === transport && l.sensor === sensor)!.port;

    // Accounts: the first supervisor, a failed and a good sign-in (the shift opens), an auditor refused an action, a refusal at the door.
    await call('setup.createSupervisor', { name: 'chief', password: TEST_PASSWORD });
    await call('session.signIn', { name: 'chief', password: 'not the password' });
    const chief = (await call<{ session: string }>('session.signIn', { name: 'chief', password: TEST_PASSWORD })).session;
    await call('user.add', { name: 'audit', role: 'auditor', password: TEST_PASSWORD }, chief);
    const audit = (await call<{ session: string }>('session.signIn', { name: 'audit', password: TEST_PASSWORD })).session;
    await call('console.setMute', { muted: true }, audit);
    await call('core.hello', {}, undefined, 'wrong-secret');
    await call('console.setMute', { muted: true }, chief);
    await call('sectors.update', { id: 'S01', name: 'Bray-Dunes (frontière)' }, chief);

    // The night, over the feed sockets, while an operator handles its alerts: two incidents, later alerts joining the first, a unit sent to each.
    type Picture = { alerts: AlertView[]; incidents: IncidentView[]; units: UnitView[] };
    const picture = () => call<Picture>('picture.get', {}, chief);
    const operate = async () => {
      const now = await picture();
      const open = now.incidents.filter((incident) => incident.status === 'open');
      const alert = now.alerts.find((a) => a.status === 'new' && a.lat !== null);
      if (alert) await call('alert.acknowledge', open.length >= 2 ? { alert: alert.id, incident: open[0]!.id } : { alert: alert.id }, chief);
      for (const incident of open) {
        if (incident.assignments.some((a) => a.status !== 'cleared')) continue;
        const free = now.units.find((unit) => unit.assignment === null && unit.status === 'available');
        if (free) await call('dispatch.assign', { incident: incident.id, unit: free.id }, chief);
        return;
      }
    };
    const ports: SimulationPorts = {
      cotUdp: listener('cot', 'udp'),
      cotTcp: listener('cot', 'tcp'),
      jsonTcp: listener('json', 'tcp'),
      jsonWs: listener('json', 'ws'),
      nmea: Object.fromEntries(site.listeners.nmea.map((l) => [l.sensor, { udp: listener('nmea', 'udp', l.sensor), tcp: listener('nmea', 'tcp', l.sensor) }])),
      ais: Object.fromEntries(
        (site.listeners.ais ?? []).map((l) => [l.sensor, { udp: listener('ais', 'udp', l.sensor), tcp: listener('ais', 'tcp', l.sensor) }]),
      ),
    };
    const night = runSimulation({ site: shipped, scenario: readScenario(defaultScenarioFile), seed: 20261126, speed: 30, durationSeconds: 300, ports });
    let running = true;
    void night.finally(() => (running = false));
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await operate();
    }
    const counts = await night;
    assert.ok(counts.totals.all > 10_000, `the simulator sent ${counts.totals.all} messages`);

    // One of each feed message too, whatever the night produced; a silent camera that speaks again.
    const jsonSocket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(listener('json', 'tcp'), '127.0.0.1', () => resolve(s));
    });
    sockets.push(jsonSocket);
    const terminal = new Terminal(jsonSocket);
    await until(() => core.picture.sensors.get('CAM-QUIET')?.health === 'silent', 'CAM-QUIET to go silent');
    terminal.send({ type: 'heartbeat', sensor: 'CAM-QUIET' });
    terminal.send({ type: 'detection', sensor: 'CAM-QUIET', detection: 'Q1', kind: 'boat-launch', lat: 50.9, lon: 1.69, confidence: 0.9, count: 12 });
    terminal.send({
      type: 'optronic',
      sensor: 'OPT-GRISNEZ',
      report: 'R1',
      kind: 'boat-at-sea',
      observer: { lat: 50.8697, lon: 1.5836 },
      bearing: 300,
      range: 4000,
      confidence: 0.8,
    });
    terminal.send({ type: 'track', sensor: 'RAD-GRISNEZ', track: 'LOST1', lat: 50.9, lon: 1.4, class: 'small-boat' });
    terminal.send({ type: 'track', sensor: 'RAD-GRISNEZ', track: 'LOST1', lat: 50.9, lon: 1.4, class: 'small-boat', lost: true });
    await until(() => core.picture.sensors.get('CAM-QUIET')?.health === 'ok', 'CAM-QUIET to recover');
    // AIS the night does not send: a base station (type 4, the libais example) and a binary broadcast (type 8, logged, not drawn).
    const aisSocket = dgram.createSocket('udp4');
    sockets.push(aisSocket);
    const aisLines = ['!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28', '!AIVDM,1,1,,B,803Ovrh0EP:024`@02PN04da=3V<>N0000,4*39'].join('\r\n');
    aisSocket.send(aisLines, listener('ais', 'udp', 'AIS-GRISNEZ'), '127.0.0.1');
    for (let i = 0; i < 4; i++) await operate();

    // The unit of the second incident sent to the first with an override (its assignment is cancelled), a note, a status, both closed.
    const now = await picture();
    const [first, second] = now.incidents.filter((incident) => incident.status === 'open');
    assert.ok(first && second, 'the night raised alerts that became two incidents');
    const active = (incident: IncidentView) => incident.assignments.find((a) => a.status !== 'cleared');
    assert.ok(active(first) && active(second), 'a unit was sent to each');
    await call('dispatch.assign', { incident: first.id, unit: active(second)!.unit, override: true }, chief);
    await call('incident.addNote', { incident: first.id, text: 'Groupe sur la plage, deuxième patrouille en route.' }, chief);
    await call('dispatch.setStatus', { unit: active(first)!.unit, status: 'en-route' }, chief);
    await call('dispatch.setStatus', { unit: active(first)!.unit, status: 'cleared' }, chief);
    // The control room (issue 15): the incident handed over; a seat asks, is admitted, signs in, is revoked.
    await call('user.add', { name: 'marie', role: 'operator', password: TEST_PASSWORD }, chief);
    await call('incident.transfer', { incident: first.id, to: 'marie' }, chief);
    const asked = (await roomCall(core, 'seat.request', { label: 'desk 2' })).body.result as { token: string; code: string; seat: string };
    await call('seat.admit', { code: asked.code }, chief);
    assert.equal((await roomCall(core, 'session.signIn', { name: 'marie', password: TEST_PASSWORD }, { seatToken: asked.token })).status, 200);
    await call('seat.revoke', { seat: asked.seat }, chief);
    await call('incident.close', { incident: first.id, outcome: 'launch-prevented', notes: 'Départ empêché.' }, chief);
    await call('incident.close', { incident: second.id, outcome: 'nothing-found', notes: '' }, chief);

    // A flood over the rate limit (counted, logged as feed.throttled every 10 s), then ten minutes on: tracks expire, sensors go silent, alerts escalate.
    const udp = dgram.createSocket('udp4');
    sockets.push(udp);
    const body = 'RATTM,07,5.00,315.0,T,6.5,330.0,T,1.2,15.0,N,SB7,T,,221500.00,A';
    const sentence = `$${body}*${nmeaChecksum(body)}\r\n`;
    // One source (this socket) over its 5,000/s: sent in rounds until the core has counted some, because the kernel drops what
    // overflows the core's socket buffer, and the simulator's radars no longer share this address (each sends from its own).
    const flood = () => {
      for (let i = 0; i < 2_000; i++) udp.send(sentence, listener('nmea', 'udp', 'RAD-GRISNEZ'), '127.0.0.1');
    };
    const throttled = () => core.ingest.stats.list().some((source) => source.source === 'nmea/udp/127.0.0.1' && source.throttled > 0);
    await until(() => (throttled() ? true : (flood(), false)), 'the flood to be throttled', 45_000);
    skew += 11 * 60_000;
    const kindsNow = () => new Set([...iterateEvents(core.db)].map((event) => event.kind));
    await until(() => kindsNow().has('track.expired') && kindsNow().has('feed.throttled'), 'tracks to expire and the flood to be logged', 45_000);
    skew += 10 * 60_000;
    await until(() => kindsNow().has('backup.completed') && kindsNow().has('backup.failed'), 'the scheduled backups to be logged', 45_000);
    await until(() => kindsNow().has('track.expired') && kindsNow().has('feed.throttled'), 'tracks to expire and the flood to be logged', 30_000);
    // Ten minutes more: ships not heard for 20 minutes leave the picture.
    skew += 10 * 60_000;
    await until(() => kindsNow().has('ais.expired'), 'AIS ships to expire', 30_000);

    // Field devices (issue 13): real ATAK captures — a self-report, a hostile point, a marker, a chat; a supervisor
    // registers one device, blocks and unblocks another; the registered tablet's 911, acknowledged, the marker attached
    // to its incident, a chat to the tablet read and linked to it, the cancel; the marker deleted on the device.
    const takSamples = path.join(__dirname, '../fixtures/feeds/cot/tak-samples');
    const tak = (name: string) => Buffer.from(refreshTimes(fs.readFileSync(path.join(takSamples, name), 'utf8'), Date.now() + skew));
    const cotUdp = dgram.createSocket('udp4');
    sockets.push(cotUdp);
    for (const name of [
      'fts-a-f-G-U-C-1581185452254.xml',
      'fts-a-f-G-E-V-C-1581185468929.xml',
      'fts-a-h-G-1581185498021.xml',
      'fts-b-m-p-s-m-1581185985900.xml',
      'fts-b-t-f-1581185463563.xml',
    ])
      cotUdp.send(tak(name), listener('cot', 'udp'), '127.0.0.1');
    await until(() => core.devices.list().length >= 2 && core.fieldPoints.list().length >= 2, 'the field devices and their points');
    await call('devices.register', { device: 'ANDROID-R52JB0CDC4E', create: { callsign: 'CORV 1', type: 'foot', crew: 2 } }, chief);
    await call('devices.block', { device: 'aa0b0312-b5cd-4c2c-bbbc-9c4c70216261', reason: 'test' }, chief);
    await call('devices.unblock', { device: 'aa0b0312-b5cd-4c2c-bbbc-9c4c70216261' }, chief);
    // The registered tablet raises a 911.
    const alarmAt = new Date(Date.now() + skew).toISOString();
    const alarmStale = new Date(Date.now() + skew + 60_000).toISOString();
    const alarmEvent = (type: string) =>
      cotUdp.send(
        `<event version="2.0" uid="ANDROID-R52JB0CDC4E-9-1-1" type="${type}" time="${alarmAt}" start="${alarmAt}" stale="${alarmStale}" how="h-e"><point lat="50.95" lon="1.75"/><detail><link uid="ANDROID-R52JB0CDC4E" relation="p-p"/><emergency type="911 Alert">CORV 1</emergency></detail></event>`,
        listener('cot', 'udp'),
        '127.0.0.1',
      );
    alarmEvent('b-a-o-tbl');
    const emergency = await until(() => [...core.picture.alerts.values()].find((a) => a.kind === 'emergency'), 'the emergency alert');
    // Acknowledged (its own incident), the marker attached to that incident, then the tablet cancels.
    const { incident: emergencyIncident } = await call<{ incident: string }>('alert.acknowledge', { alert: emergency.id }, chief);
    await call('fieldPoints.attach', { point: 'd287532a-f43a-4a6c-bd36-a83539851905', incident: emergencyIncident }, chief);
    // GeoChat (issue 13): the operator writes to the tablet (on the mesh it spoke from), it reads it, the message joins the incident.
    const { message } = await call<{ message: string }>('chat.send', { to: { kind: 'device', device: 'ANDROID-R52JB0CDC4E' }, text: 'Reçu, on arrive' }, chief);
    const readAt = new Date(Date.now() + skew).toISOString();
    cotUdp.send(
      `<event version="2.0" uid="${message}" type="b-t-f-r" time="${readAt}" start="${readAt}" stale="${alarmStale}" how="h-g-i-g-o"><point lat="0" lon="0"/><detail><__chatreceipt messageId="${message}" chatroom="VIGIE" id="VIGIE" senderCallsign="CORV 1"><chatgrp uid0="ANDROID-R52JB0CDC4E" uid1="VIGIE"/></__chatreceipt><link uid="ANDROID-R52JB0CDC4E" relation="p-p"/></detail></event>`,
      listener('cot', 'udp'),
      '127.0.0.1',
    );
    await until(() => core.chat.get(message)?.receipts.length, 'the read receipt');
    await call('chat.link', { message, incident: emergencyIncident }, chief);
    alarmEvent('b-a-o-can');
    await until(() => core.devices.get('ANDROID-R52JB0CDC4E')?.emergency === null, 'the emergency cancelled');

    const deletedAt = new Date(Date.now() + skew).toISOString();
    const deletedStale = new Date(Date.now() + skew + 60_000).toISOString();
    cotUdp.send(
      `<event version="2.0" uid="ANDROID-351811095448994" type="t-x-d-d" time="${deletedAt}" start="${deletedAt}" stale="${deletedStale}" how="h-g-i-g-o"><point lat="0" lon="0"/><detail><link uid="d287532a-f43a-4a6c-bd36-a83539851905" relation="none"/></detail></event>`,
      listener('cot', 'udp'),
      '127.0.0.1',
    );
    await until(() => core.fieldPoints.get('d287532a-f43a-4a6c-bd36-a83539851905') === undefined, 'the marker deleted');

    await call('shift.close', { handover: 'Nuit calme après 2 h. Tête de chaîne notée.' }, chief);
    stopped = true;
    await core.stop('test done');

    const db = openDatabase(dataDir, { readonly: true });
    try {
      for (const event of iterateEvents(db)) check(found, { seq: event.seq, kind: event.kind, payload: JSON.parse(event.payload) }, 'recorded night, seq');
    } finally {
      db.close();
    }
    assert.deepEqual(found.misfits, []);
  });

  test('the generated 12-hour shift of the bench (bench/shiftLog.ts) fits the catalogue too', () => {
    let n = 0;
    for (const block of shiftBlocks(60_000))
      for (const event of block) check(found, { seq: ++n, kind: event.kind, payload: JSON.parse(JSON.stringify(event.payload)) }, 'shift event');
    assert.deepEqual(found.misfits, []);
  });

  test('the retention policy, run by a real core, logs kinds that fit too: an archive made, and one that could not be', async () => {
    const fixture = writeThreeNights();
    try {
      // Thirty days after the second night: the first two nights are due. The first run's folder lies under a file: it fails.
      fs.writeFileSync(path.join(fixture.dir, 'a-file'), '');
      const clock = new ManualClock(NIGHTS[1] + 14 * 3600 * 1000 + 30 * 24 * 3600 * 1000);
      for (const folder of ['a-file/archives', 'archives']) {
        const siteFile = path.join(fixture.dir, 'site.json');
        fs.writeFileSync(siteFile, JSON.stringify({ ...readSite(defaultSiteFile), retention: { archiveAfterDays: 30, folder } }));
        const core = await startCore({ dataDir: fixture.dir, logger: silentLogger, feeds: false, siteFile, clock, retentionFirstCheckMs: 10 });
        try {
          const kind = folder === 'archives' ? 'archive.completed' : 'archive.failed';
          await until(() => [...iterateEvents(core.db)].some((event) => event.kind === kind), kind, 30_000);
          for (const event of iterateEvents(core.db))
            if (event.kind.startsWith('archive.')) check(found, { seq: event.seq, kind: event.kind, payload: JSON.parse(event.payload) }, 'retention, seq');
        } finally {
          await core.stop();
        }
      }
      assert.deepEqual(found.misfits, []);
    } finally {
      fs.rmSync(fixture.dir, { recursive: true, force: true });
    }
  });

  test('a message from the regional centre, through a real nats-server: logged at the centre and at the post, acknowledged there', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    const centre = new Centre({ dir: centreDir, url: nats.url, logger: silentLogger, discoverEveryMs: 100 });
    await centre.start();
    const post = await startCore({ dataDir: tempDataDir(), logger: silentLogger, feeds: false, uplink: { post: 'CALAIS', url: nats.url }, uplinkRetryMs: 200 });
    try {
      const sent = await centre.sendMessage('CALAIS', 'Request assistance: a boat towards S05');
      await until(() => readEvents(post.db).some((event) => event.kind === 'centre.message'), 'the post to log the message', 15_000);
      const response = await fetch(`http://127.0.0.1:${post.port}/api/uplink.acknowledgeMessage`, {
        method: 'POST',
        headers: await apiHeaders(post),
        body: JSON.stringify({ m: sent.m }),
      });
      assert.equal(response.status, 200);
      for (const event of readEvents(post.db))
        if (event.kind.startsWith('centre.')) check(found, { seq: event.seq, kind: event.kind, payload: JSON.parse(event.payload) }, 'post, seq');
    } finally {
      await post.stop();
      await centre.stop();
    }
    const db = openDatabase(path.join(centreDir, CENTRE_LOG_DIR), { readonly: true });
    try {
      for (const event of iterateEvents(db)) check(found, { seq: event.seq, kind: event.kind, payload: JSON.parse(event.payload) }, 'centre, seq');
    } finally {
      db.close();
    }
    assert.deepEqual(found.misfits, []);
  });

  test('between them, every kind of the catalogue was seen', (t) => {
    t.diagnostic(`events per kind: ${JSON.stringify(Object.fromEntries([...found.counts].sort((a, b) => b[1] - a[1])))}`);
    const unseen = EVENT_KINDS.filter((kind) => !found.counts.has(kind));
    assert.deepEqual(unseen, [], `counts: ${JSON.stringify(Object.fromEntries(found.counts))}`);
  });

  test('docs/events.md lists every kind of the catalogue, and only those, with every payload key', () => {
    const text = fs.readFileSync(path.join(projectRoot, 'docs', 'events.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const line of text.split('\n')) {
      const row = /^\| `([a-zA-Z.]+)` \|(.*)$/.exec(line);
      if (row) rows.set(row[1]!, row[2]!);
    }
    assert.deepEqual(
      [...rows.keys()].filter((kind) => !(kind in EVENT_CATALOGUE)),
      [],
      'documented kinds that the catalogue does not have',
    );
    assert.deepEqual(
      EVENT_KINDS.filter((kind) => !rows.has(kind)),
      [],
      'catalogue kinds missing from the table of docs/events.md',
    );
    const missingKeys: string[] = [];
    for (const kind of EVENT_KINDS) {
      const payloadColumn = rows.get(kind)!.split('|').slice(1).join('|');
      // `at` (the sender's time) is described once, above the table.
      for (const key of Object.keys(EVENT_CATALOGUE[kind as EventKind].shape))
        if (key !== 'at' && !payloadColumn.includes(`\`${key}\``) && !payloadColumn.includes(`\`${key}?\``)) missingKeys.push(`${kind}: ${key}`);
    }
    assert.deepEqual(missingKeys, [], 'payload keys not named in their row of docs/events.md');
  });
});
