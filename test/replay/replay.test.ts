// Replay's property: at random moments of a recorded shift, the picture
// replayed from the log equals the picture the live core served at that
// moment. The shift is recorded through a real in-process core — feed
// messages over its sockets (tracks, detections, unit positions, unit
// answers) and operator actions over its API (acknowledge, assign, notes,
// close) — in a seeded random order. Also: replay leaves the log's bytes
// alone, and a log with an edited byte is reported broken.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/database';
import { silentLogger } from '../../electron/core/logger';
import { ReplayService } from '../../electron/core/replay/replayService';
import type { Site } from '../../shared/site';
import type { ReplayChain, ReplayPicture, ReplayTimeline } from '../../shared/contract';
import { Terminal, signInHeaders, tempDataDir } from '../helpers';
import { seededRandom } from '../../electron/simulator/model/random';

const site: Site = {
  version: 1,
  name: 'replay test post',
  escalateAfterSeconds: 2,
  coverageEtaMinutes: 15,
  listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 5000 },
  sensors: [
    { id: 'RAD-1', kind: 'radar', name: 'Radar Gris-Nez', position: [1.5836, 50.8697], rangeMeters: 40000, heartbeatSeconds: 3600 },
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
  ],
  units: ['U01', 'U02', 'U03'].map((id, i) => ({
    id,
    callsign: `OPALE 0${i + 1}`,
    type: '4x4' as const,
    crew: 2,
    home: [1.76 + i * 0.02, 50.93] as [number, number],
    device: { protocol: 'json' as const },
  })),
};

type LivePictureResult = ReplayPicture & { log: { lastSeq: number } };

/** The picture as a set: order within each list is not part of the state. */
function normalized(picture: ReplayPicture): ReplayPicture {
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  return {
    sectors: byId(picture.sectors),
    sensors: byId(picture.sensors),
    units: byId(picture.units),
    tracks: byId(picture.tracks),
    alerts: byId(picture.alerts),
    incidents: byId(picture.incidents),
  };
}

function fileDigest(dir: string): string {
  const hash = crypto.createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.startsWith('vigie.sqlite')) continue;
    const bytes = fs.readFileSync(path.join(dir, name));
    // Opening a WAL database, even read-only, creates its empty -wal and -shm index: no data.
    if (name.endsWith('-shm') || (name.endsWith('-wal') && bytes.length === 0)) continue;
    hash.update(name).update(bytes);
  }
  return hash.digest('hex');
}

describe('replay', () => {
  const dir = tempDataDir();
  const siteFile = path.join(dir, 'site.json');
  const dataDir = path.join(dir, 'data');
  fs.writeFileSync(siteFile, JSON.stringify(site));
  const captures: { seq: number; picture: ReplayPicture }[] = [];
  let shiftId = 0;
  const cores: RunningCore[] = [];
  const sockets: net.Socket[] = [];
  after(async () => {
    for (const socket of sockets) socket.destroy();
    for (const core of cores) await core.stop();
  });

  async function call<T>(
    core: RunningCore,
    headers: Record<string, string>,
    method: string,
    params: object,
  ): Promise<{ status: number; result: T; message?: string }> {
    const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
    const body = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
    return { status: response.status, result: body.result, message: body.error?.message };
  }

  test('at random moments of a recorded shift, the replayed picture equals the live one', { timeout: 120_000 }, async () => {
    const core = await startCore({ dataDir, logger: silentLogger, siteFile, rendererDir: dir, feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0 } });
    cores.push(core);
    const headers = await signInHeaders(core, 'martin', 'operator');
    const api = <T>(method: string, params: object) => call<T>(core, headers, method, params);
    const port = core.feeds!.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;
    const connect = async (hello: object): Promise<Terminal> => {
      const socket = await new Promise<net.Socket>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
      });
      sockets.push(socket);
      const terminal = new Terminal(socket);
      terminal.send({ type: 'hello', ...hello });
      return terminal;
    };
    const radar = await connect({ sensor: 'RAD-1' });
    const camera = await connect({ sensor: 'CAM-1' });
    const units = new Map<string, Terminal>();
    for (const unit of site.units) units.set(unit.id, await connect({ unit: unit.id }));

    const rnd = seededRandom(5);
    const pick = <T>(list: readonly T[]): T | undefined => (list.length === 0 ? undefined : list[Math.floor(rnd() * list.length)]);
    const livePicture = async () => (await api<LivePictureResult>('picture.get', {})).result;
    const capture = async () => {
      core.writer.flushNow();
      const { log, ...picture } = await livePicture();
      captures.push({ seq: log.lastSeq, picture });
    };
    let detections = 0;
    const tracks = ['T1', 'T2', 'T3', 'T4', 'T5'];
    for (let step = 0; step < 140; step++) {
      const r = rnd();
      if (r < 0.3) {
        const track = pick(tracks)!;
        const lost = rnd() < 0.08;
        radar.send({
          type: 'track',
          sensor: 'RAD-1',
          track,
          lat: Math.round((50.9 + rnd() * 0.1) * 1e5) / 1e5,
          lon: Math.round((1.4 + rnd() * 0.2) * 1e5) / 1e5,
          course: Math.floor(rnd() * 360),
          speed: Math.round(rnd() * 200) / 10,
          class: rnd() < 0.15 ? 'small-boat' : 'vessel',
          ...(lost ? { lost: true } : {}),
        });
      } else if (r < 0.42) {
        detections += 1;
        camera.send({
          type: 'detection',
          sensor: 'CAM-1',
          detection: `D${detections}`,
          kind: pick(['boat-launch', 'group-on-beach', 'vehicle'] as const)!,
          lat: Math.round((50.94 + rnd() * 0.01) * 1e5) / 1e5,
          lon: Math.round((1.74 + rnd() * 0.01) * 1e5) / 1e5,
          confidence: 0.8,
        });
      } else if (r < 0.6) {
        const [id, terminal] = pick([...units.entries()])!;
        terminal.send({
          type: 'unit-position',
          unit: id,
          lat: Math.round((50.93 + rnd() * 0.03) * 1e5) / 1e5,
          lon: Math.round((1.73 + rnd() * 0.05) * 1e5) / 1e5,
          heading: Math.floor(rnd() * 360),
          speed: Math.round(rnd() * 300) / 10,
        });
      } else {
        // Operator actions, on the picture as the core has it now.
        core.writer.flushNow();
        const picture = await livePicture();
        const action = rnd();
        const open = picture.incidents.filter((incident) => incident.status === 'open');
        if (action < 0.35) {
          const alert = pick(picture.alerts.filter((a) => a.status === 'new'));
          if (alert) {
            const target = rnd() < 0.3 ? pick(open) : undefined;
            await api('alert.acknowledge', target ? { alert: alert.id, incident: target.id } : { alert: alert.id });
          }
        } else if (action < 0.6) {
          const incident = pick(open);
          const unit = pick(picture.units.filter((u) => u.status === 'available'));
          if (incident && unit) await api('dispatch.assign', { incident: incident.id, unit: unit.id });
        } else if (action < 0.72) {
          const unit = pick(picture.units.filter((u) => u.status === 'assigned'));
          if (unit) units.get(unit.id)!.send({ type: 'unit-ack', unit: unit.id, assignment: unit.assignment, status: 'en-route' });
        } else if (action < 0.82) {
          const incident = pick(open);
          if (incident) await api('incident.addNote', { incident: incident.id, text: `note ${step}` });
        } else if (action < 0.92) {
          const incident = pick(open);
          if (incident)
            await api('incident.close', {
              incident: incident.id,
              outcome: pick(['launch-prevented', 'false-alarm', 'intercepted-on-beach'] as const)!,
              notes: `closed at step ${step}`,
            });
        } else {
          const unit = pick(picture.units.filter((u) => u.status === 'en-route' || u.status === 'on-scene'));
          if (unit) await api('dispatch.setStatus', { unit: unit.id, status: 'cleared' });
        }
      }
      if (rnd() < 0.25) await capture();
      if (rnd() < 0.1) await new Promise((resolve) => setTimeout(resolve, 150 + rnd() * 400));
    }
    await capture();
    assert.ok(captures.length >= 20, `${captures.length} captures`);
    const shift = (await api<{ shift: { id: number; firstSeq: number } }>('shift.current', {})).result.shift;
    shiftId = shift.id;
    // The recording did what it should: alerts acknowledged, incidents opened, notes, closes.
    const kinds = new Set((await api<{ events: { kind: string }[] }>('log.tail', { limit: 500 })).result.events.map((e) => e.kind));
    for (const kind of ['track.update', 'unit.position', 'alert.raised', 'alert.acknowledged', 'dispatch.assigned', 'incident.noted', 'incident.closed'])
      assert.ok(kinds.has(kind), `the recorded shift has ${kind}`);

    // Replay through the API, at the captured moments in a shuffled order (seeks back and forth).
    const order = captures
      .map((c, i) => ({ c, k: seededRandom(i + 99)() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.c);
    for (const { seq, picture } of order) {
      const replayed = await api<{ seq: number; picture: ReplayPicture }>('replay.at', { shift: shiftId, seq });
      assert.equal(replayed.status, 200, replayed.message);
      assert.equal(replayed.result.seq, seq);
      assert.deepStrictEqual(normalized(replayed.result.picture), normalized(picture), `the picture at seq ${seq}`);
    }
    // By time: the moment of a captured event gives that event's state (or a later one at the same millisecond).
    const timeline = (await api<ReplayTimeline>('replay.timeline', { shift: shiftId, buckets: 50 })).result;
    assert.equal(timeline.firstSeq, shift.firstSeq);
    assert.ok(timeline.alerts.length > 0 && timeline.alerts.every((a) => a.seq >= timeline.firstSeq && a.time >= timeline.from));
    assert.equal(timeline.density.counts.length, 50);
    assert.equal(
      timeline.density.counts.reduce((a, b) => a + b, 0),
      timeline.lastSeq - timeline.firstSeq + 1,
    );
    const first = timeline.alerts[0]!;
    const atAlert = (await api<{ seq: number; picture: ReplayPicture }>('replay.at', { shift: shiftId, time: first.time })).result;
    assert.ok(atAlert.seq >= first.seq);
    assert.equal(atAlert.picture.alerts.find((a) => a.id === first.id)?.status, 'new');
    const beforeAlert = (await api<{ seq: number; picture: ReplayPicture }>('replay.at', { shift: shiftId, time: first.time - 1 })).result;
    assert.ok(beforeAlert.seq < first.seq);
    assert.equal(
      beforeAlert.picture.alerts.find((a) => a.id === first.id),
      undefined,
    );
    const chain = (await api<ReplayChain>('replay.verify', { shift: shiftId })).result;
    assert.equal(chain.ok, true);
    // An auditor may replay too; not an unknown shift.
    const auditor = await signInHeaders(core, 'auditor1', 'auditor');
    assert.equal((await call(core, auditor, 'replay.at', { shift: shiftId, seq: captures[0]!.seq })).status, 200);
    assert.equal((await call(core, headers, 'replay.at', { shift: 999, seq: 1 })).status, 409);
    assert.equal((await call(core, headers, 'replay.at', { shift: shiftId })).status, 400);

    const closed = await api('shift.close', { handover: 'quiet night, all handed over' });
    assert.equal(closed.status, 200);
    for (const socket of sockets.splice(0)) socket.destroy();
    await core.stop();
    cores.length = 0;
  });

  test('offline, on the stopped data directory, replay gives the same pictures and leaves every byte of the file as it was', async () => {
    assert.ok(shiftId > 0);
    const before = fileDigest(dataDir);
    // Seeks far apart with tiny chunks and in-memory snapshots every 50 events: the restore path too.
    const replay = new ReplayService(() => openDatabase(dataDir, { readonly: true }), { chunk: 7, memorySnapshotEvery: 50 });
    try {
      const rnd = seededRandom(11);
      for (let i = 0; i < 60; i++) {
        const { seq, picture } = captures[Math.floor(rnd() * captures.length)]!;
        const replayed = await replay.at('auditor', shiftId, { seq });
        assert.deepStrictEqual(normalized(JSON.parse(JSON.stringify(replayed.picture)) as ReplayPicture), normalized(picture), `the picture at seq ${seq}`);
      }
      assert.equal((await replay.verify(shiftId)).ok, true);
    } finally {
      replay.close();
    }
    assert.equal(fileDigest(dataDir), before);
  });

  test('a shift whose log has an edited byte is shown as broken, at the edited event', async () => {
    const copy = path.join(dir, 'edited');
    fs.cpSync(dataDir, copy, { recursive: true });
    const file = path.join(copy, 'vigie.sqlite');
    // The recorded notes are `note <step>` (canonical JSON, not packed): change one digit.
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf('"text":"note ');
    assert.ok(at > 0, 'a note in the file');
    const digit = at + '"text":"note '.length;
    bytes[digit] = bytes[digit] === 0x39 ? 0x38 : bytes[digit]! + 1;
    fs.writeFileSync(file, bytes);
    const core = await startCore({ dataDir: copy, logger: silentLogger, siteFile, rendererDir: dir, feeds: false });
    cores.push(core);
    const headers = await signInHeaders(core, 'auditor2', 'auditor');
    const chain = (await call<ReplayChain>(core, headers, 'replay.verify', { shift: shiftId })).result;
    assert.equal(chain.ok, false);
    assert.equal(chain.affectsShift, true);
    assert.match(chain.reason!, /does not match/);
    const timeline = (await call<ReplayTimeline>(core, headers, 'replay.timeline', { shift: shiftId })).result;
    assert.ok(chain.firstBadSeq! >= timeline.firstSeq && chain.firstBadSeq! <= timeline.lastSeq);
    // The replay still shows what the log holds, the console marks it broken.
    const shown = await call<{ picture: ReplayPicture }>(core, headers, 'replay.at', { shift: shiftId, seq: chain.firstBadSeq! });
    assert.equal(shown.status, 200);
  });
});
