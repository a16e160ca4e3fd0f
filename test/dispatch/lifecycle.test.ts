// The operator's workflow in the core, over the real contract and feed
// sockets: alert → acknowledge (incident) → a second sensor's alert merged →
// unit assigned → its terminal acknowledges → positions reach the spot → on
// scene automatically → closed with an outcome. Plus escalation and
// double-booking rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { verifyChain } from '../../electron/core/log/verify';
import { silentLogger } from '../../electron/core/logger';
import type { Site } from '../../shared/site';
import { Terminal, apiHeaders, tempDataDir, until } from '../helpers';

const site: Site = {
  version: 1,
  name: 'dispatch test post',
  escalateAfterSeconds: 1,
  coverageEtaMinutes: 15,
  listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 5000 },
  sensors: [
    {
      id: 'CAM-1',
      kind: 'camera',
      name: 'Camera Sangatte',
      position: [1.753, 50.944],
      bearing: 320,
      fieldOfView: 70,
      rangeMeters: 3000,
      heartbeatSeconds: 3600,
    },
    { id: 'OPT-1', kind: 'optronic', name: 'Observer Blanc-Nez', position: [1.715, 50.9215], rangeMeters: 8000, heartbeatSeconds: 3600 },
  ],
  units: [
    { id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'json' } },
    { id: 'U02', callsign: 'OPALE 02', type: 'quad', crew: 2, home: [1.8, 50.95], device: { protocol: 'json' } },
  ],
};

describe('dispatch workflow in the core', () => {
  let core: RunningCore;
  const terminals: Terminal[] = [];
  const dir = tempDataDir();
  const siteFile = path.join(dir, 'site.json');
  const dataDir = path.join(dir, 'data');
  async function call<T>(method: string, params: object): Promise<{ status: number; result: T; message?: string }> {
    const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, {
      method: 'POST',
      headers: await apiHeaders(core),
      body: JSON.stringify(params),
    });
    const body = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
    return { status: response.status, result: body.result, message: body.error?.message };
  }
  async function terminal(): Promise<Terminal> {
    const port = core.feeds!.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
    });
    const t = new Terminal(socket);
    terminals.push(t);
    return t;
  }

  before(async () => {
    fs.writeFileSync(siteFile, JSON.stringify(site));
    core = await startCore({ dataDir, logger: silentLogger, siteFile, rendererDir: dir, feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0 } });
  });
  after(async () => {
    for (const t of terminals) t.socket.destroy();
    await core.stop();
  });

  test('from the first alert to the closed incident', async () => {
    const camera = await terminal();
    const u01 = await terminal();
    u01.send({ type: 'hello', unit: 'U01' });
    u01.send({ type: 'unit-position', unit: 'U01', lat: 50.93, lon: 1.76 });
    camera.send({ type: 'detection', sensor: 'CAM-1', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
    const first = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-1/D1'), 'the camera alert');

    // Acknowledging opens an incident at the alert.
    const ack = await call<{ incident: string; opened: boolean }>('alert.acknowledge', { alert: first.id });
    assert.equal(ack.status, 200);
    assert.equal(ack.result.opened, true);
    const incident = ack.result.incident;
    assert.match(incident, /^I\d{5}$/);
    assert.equal(core.picture.alerts.get(first.id)!.status, 'acknowledged');

    // The optronic observer reports the same launch: proposed for merging, then merged.
    camera.send({
      type: 'optronic',
      sensor: 'OPT-1',
      report: 'R1',
      kind: 'boat-launch',
      observer: { lat: 50.9215, lon: 1.715 },
      bearing: 30,
      range: 3500,
      confidence: 0.8,
    });
    const second = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'opt:OPT-1/R1'), 'the observer alert');
    const candidates = await call<{ candidates: { incident: string; meters: number }[] }>('alert.mergeCandidates', { alert: second.id });
    assert.equal(candidates.result.candidates[0]?.incident, incident);
    const merged = await call<{ incident: string; opened: boolean }>('alert.acknowledge', { alert: second.id, incident });
    assert.deepEqual(merged.result, { incident, opened: false });
    assert.deepEqual(core.picture.incidents.get(incident)!.alerts, [first.id, second.id]);
    // A second acknowledgement of the same alert is refused with a reason.
    assert.equal((await call('alert.acknowledge', { alert: second.id })).status, 409);

    // The console ranks the units by ETA; both are free, and U01 (4x4, closer) comes first.
    const u02early = await terminal();
    u02early.send({ type: 'hello', unit: 'U02' });
    u02early.send({ type: 'unit-position', unit: 'U02', lat: 50.95, lon: 1.8 });
    await until(() => core.picture.units.get('U02')!.lat === 50.95, 'U02 on the map');
    const ranked = await call<{ units: { unit: string; available: boolean; reachable: boolean; seconds: number; mode: string }[] }>('dispatch.rank', {
      incident,
    });
    assert.deepEqual(
      ranked.result.units.map((u) => u.unit),
      ['U01', 'U02'],
    );
    // The launch spot lies on the coarse coastline: land units reach it over land or to the water's edge.
    assert.ok(
      ranked.result.units.every((u) => u.available && u.reachable && ['land', 'to-shore'].includes(u.mode) && u.seconds > 0),
      JSON.stringify(ranked.result.units),
    );
    assert.ok(ranked.result.units[0]!.seconds < ranked.result.units[1]!.seconds);

    // Assign: the terminal gets the order and answers en route.
    const assigned = await call<{ assignment: string; delivered: boolean }>('dispatch.assign', { incident, unit: 'U01' });
    assert.equal(assigned.result.delivered, true);
    const order = await until(() => u01.lines.find((line) => line.type === 'assignment'), 'the assignment on the terminal');
    assert.equal(order.incident, incident);
    u01.send({ type: 'unit-ack', unit: 'U01', assignment: assigned.result.assignment, status: 'en-route' });
    await until(() => core.picture.units.get('U01')!.status === 'en-route', 'en route');

    // A unit already sent is ranked as committed; sending it again is refused.
    const again = await call<{ units: { unit: string; available: boolean; committedTo: string | null }[] }>('dispatch.rank', { incident });
    assert.deepEqual(
      again.result.units.find((u) => u.unit === 'U01'),
      { ...again.result.units.find((u) => u.unit === 'U01')!, available: false, committedTo: incident },
    );
    const refused = await call('dispatch.assign', { incident, unit: 'U01' });
    assert.equal(refused.status, 409);
    const coverage = await call<{ thresholdSeconds: number; gaps: { sector: string }[] }>('coverage.get', {});
    assert.equal(coverage.result.thresholdSeconds, 900);

    // Positions approach; within 200 m the core declares the unit on scene.
    u01.send({ type: 'unit-position', unit: 'U01', lat: 50.945, lon: 1.75 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(core.picture.units.get('U01')!.status, 'en-route');
    u01.send({ type: 'unit-position', unit: 'U01', lat: 50.951, lon: 1.741 });
    await until(() => core.picture.units.get('U01')!.status === 'on-scene', 'on scene automatically');
    const view = core.picture.incidentView(incident)!;
    const step = view.assignments[0]!;
    assert.ok(step.assignedAt <= step.enRouteAt! && step.enRouteAt! <= step.onSceneAt!, JSON.stringify(step));

    // Notes while it is open, in order, each with its operator; an empty one is refused.
    assert.equal((await call('incident.addNote', { incident, text: '   ' })).status, 400);
    assert.equal((await call('incident.addNote', { incident, text: 'Group of about 35 on the beach.' })).status, 200);
    assert.equal((await call('incident.addNote', { incident, text: 'Boat inflated, engine fitted.' })).status, 200);
    const notes = core.picture.incidentView(incident)!.noteLog;
    assert.deepEqual(
      notes.map((note) => note.text),
      ['Group of about 35 on the beach.', 'Boat inflated, engine fitted.'],
    );
    assert.ok(notes.every((note) => note.operator === 'tester' && note.time > 0));

    // An outcome is required to close.
    assert.equal((await call('incident.close', { incident, notes: 'x' })).status, 400);
    const closed = await call<{ closedAt: number }>('incident.close', { incident, outcome: 'launch-prevented', notes: 'Group of 35 dispersed on arrival.' });
    assert.equal(closed.status, 200);
    await until(() => !core.picture.incidents.has(incident), 'the incident to leave the open picture');
    assert.equal((await call('incident.addNote', { incident, text: 'too late' })).status, 409);
    assert.equal(core.picture.units.get('U01')!.status, 'available');
    assert.equal(core.picture.units.get('U01')!.assignment, null);
    await until(() => u01.lines.some((line) => line.type === 'status' && line.status === 'cleared'), 'the clear on the terminal');

    // The log tells the whole story, in order, with the operator on every action.
    const story = [...iterateEvents(core.db)].filter((e) =>
      ['incident.opened', 'alert.acknowledged', 'dispatch.assigned', 'unit.status', 'incident.closed'].includes(e.kind),
    );
    assert.deepEqual(
      story.map((e) => `${e.kind}${e.kind === 'unit.status' ? `:${(JSON.parse(e.payload) as { status: string }).status}` : ''}`),
      ['incident.opened', 'alert.acknowledged', 'alert.acknowledged', 'dispatch.assigned', 'unit.status:en-route', 'unit.status:on-scene', 'incident.closed'],
    );
    assert.ok(story.filter((e) => e.kind !== 'unit.status').every((e) => e.operator === 'tester'));
    assert.ok(verifyChain(core.db).ok);
  });

  test('an alert left unacknowledged escalates (site: 1 s)', async () => {
    const camera = await terminal();
    camera.send({ type: 'detection', sensor: 'CAM-1', detection: 'D7', kind: 'group-on-beach', lat: 50.946, lon: 1.748, confidence: 0.7 });
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-1/D7'), 'the alert');
    await until(() => core.picture.alerts.get(alert.id)!.escalated, 'escalation', 4000);
    assert.ok([...iterateEvents(core.db)].some((e) => e.kind === 'alert.escalated' && (JSON.parse(e.payload) as { alert: string }).alert === alert.id));
  });

  test('sending a committed unit elsewhere needs an override, which is logged and tells the terminal', async () => {
    const camera = await terminal();
    const u02 = await terminal();
    u02.send({ type: 'hello', unit: 'U02' });
    u02.send({ type: 'unit-position', unit: 'U02', lat: 50.95, lon: 1.8 });
    for (const d of ['D20', 'D21'])
      camera.send({ type: 'detection', sensor: 'CAM-1', detection: d, kind: 'group-on-beach', lat: 50.946, lon: 1.747, confidence: 0.7 });
    const [a, b] = await until(() => {
      const found = ['det:CAM-1/D20', 'det:CAM-1/D21'].map((subject) => [...core.picture.alerts.values()].find((alert) => alert.subject === subject));
      return found.every(Boolean) && (found as NonNullable<(typeof found)[number]>[]);
    }, 'two alerts');
    const first = (await call<{ incident: string }>('alert.acknowledge', { alert: a!.id })).result.incident;
    const second = (await call<{ incident: string }>('alert.acknowledge', { alert: b!.id })).result.incident;
    const sent = (await call<{ assignment: string }>('dispatch.assign', { incident: first, unit: 'U02' })).result.assignment;
    assert.equal((await call('dispatch.assign', { incident: second, unit: 'U02' })).status, 409);
    const moved = await call<{ assignment: string }>('dispatch.assign', { incident: second, unit: 'U02', override: true });
    assert.equal(moved.status, 200);
    await until(() => u02.lines.some((line) => line.type === 'status' && line.assignment === sent), 'the cancellation on the terminal');
    const events = [...iterateEvents(core.db)].filter((e) => e.kind === 'dispatch.cancelled' || e.kind === 'dispatch.assigned').slice(-2);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['dispatch.cancelled', 'dispatch.assigned'],
    );
    assert.equal((JSON.parse(events[1]!.payload) as { override?: number }).override, 1);
    assert.equal(core.picture.units.get('U02')!.assignment, moved.result.assignment);
    for (const incident of [first, second]) await call('incident.close', { incident, outcome: 'false-alarm', notes: '' });
  });

  test('the open picture survives a restart exactly', async () => {
    const camera = await terminal();
    camera.send({ type: 'detection', sensor: 'CAM-1', detection: 'D9', kind: 'vehicle', lat: 50.947, lon: 1.749, confidence: 0.6 });
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-1/D9'), 'the alert');
    const { result } = await call<{ incident: string }>('alert.acknowledge', { alert: alert.id });
    await call('dispatch.assign', { incident: result.incident, unit: 'U02' });
    await call('incident.addNote', { incident: result.incident, text: 'Two people seen from the dunes.' });
    const before = (await call<Record<string, unknown>>('picture.get', {})).result;
    for (const t of terminals.splice(0)) t.socket.destroy();
    await core.stop('restart test');
    core = await startCore({ dataDir, logger: silentLogger, siteFile, rendererDir: dir, feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0 } });
    const after = (await call<Record<string, unknown>>('picture.get', {})).result;
    for (const key of ['incidents', 'alerts', 'units', 'tracks']) assert.deepEqual(after[key], before[key], key);
    assert.equal((after.incidents as { noteLog: { text: string }[] }[])[0]!.noteLog[0]!.text, 'Two people seen from the dunes.');
  });
});
