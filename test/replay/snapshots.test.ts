// Replay from the live core's persisted snapshots: a log written through the
// real append path with the picture, sector, shift and snapshot projectors
// (snapshots every 40 events, as the core does every 5,000), then the
// picture replayed at random blocks equals the live picture at that block —
// whether the replay starts from a snapshot, from its own cursor or from
// event 1.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { openDatabase } from '../../electron/core/db/database';
import { EventLog, type NewEvent } from '../../electron/core/log/eventLog';
import { LivePicture } from '../../electron/core/picture/livePicture';
import { VesselPicture } from '../../electron/core/picture/vesselPicture';
import { loadSectors, sectorProjector } from '../../electron/core/picture/sectors';
import { shiftProjector } from '../../electron/core/accounts/shifts';
import { decodeState, snapshotWriter, type SnapshotTiming } from '../../electron/core/replay/snapshots';
import { ReplayService } from '../../electron/core/replay/replayService';
import type { ReplayPicture } from '../../shared/contract';
import { tempDataDir } from '../helpers';
import { seededRandom } from '../../electron/simulator/model/random';

const sorted = (picture: ReplayPicture): ReplayPicture => {
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  const copy = JSON.parse(JSON.stringify(picture)) as ReplayPicture;
  return {
    sectors: byId(copy.sectors),
    sensors: byId(copy.sensors),
    units: byId(copy.units),
    tracks: byId(copy.tracks),
    alerts: byId(copy.alerts),
    incidents: byId(copy.incidents),
    vessels: [...(copy.vessels ?? [])].sort((a, b) => a.mmsi - b.mmsi),
  };
};

describe('replay from persisted snapshots', () => {
  test('a busy log gets at most one snapshot per minMs of log time', () => {
    const db = openDatabase(tempDataDir());
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 20, 0, 0));
    const log = new EventLog(db, clock);
    const picture = new LivePicture(db);
    log.addProjector(picture.project);
    log.addProjector(snapshotWriter(db, picture, { events: 5, ms: 1e12, minMs: 3_000 }));
    // 10 events a second for 20 s: every 5 events would be 40 snapshots.
    for (let i = 0; i < 200; i++) {
      log.append([{ kind: 'sensor.heartbeat', source: 'json:RAD-1', payload: { s: 'RAD-1' } }]);
      clock.advance(100);
    }
    const times = (db.prepare('SELECT time FROM picture_snapshots ORDER BY seq').all() as { time: number }[]).map((row) => row.time);
    assert.ok(times.length >= 6 && times.length <= 7, `${times.length} snapshots`);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 3_000);
  });

  test('after commit: a snapshot taken in a rolled-back block is never written, and the next block takes it again', async () => {
    const db = openDatabase(tempDataDir());
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 20, 0, 0));
    const log = new EventLog(db, clock);
    const picture = new LivePicture(db);
    log.addProjector(picture.project);
    const writer = snapshotWriter(db, picture, { events: 2, ms: 1e12 }, undefined, 'after-commit');
    log.addProjector(writer);
    const track = (t: string) => ({
      kind: 'track.update' as const,
      source: 'json:RAD-1',
      payload: { s: 'RAD-1', t, cls: 'vessel' as const, lat: 50.9, lon: 1.6 },
    });
    // The block's transaction fails after the projectors ran (as a full disk fails the commit).
    log.addProjector((events) => {
      if (events.some((event) => event.payload.includes('DOOMED'))) throw new Error('disk full');
    });
    assert.throws(() => log.append([track('RAD-1:1'), track('RAD-1:DOOMED')]), /disk full/);
    writer.cancel(); // what the log writer's reload does after a rolled-back block
    picture.reload();
    await writer.settled();
    const rows = () => db.prepare('SELECT seq, state, format FROM picture_snapshots').all() as { seq: number; state: Buffer; format: number }[];
    assert.equal(rows().length, 0);
    log.append([track('RAD-1:1'), track('RAD-1:2')]);
    // Not yet written: the encoding waits for the event loop.
    assert.equal(rows().length, 0);
    await writer.settled();
    assert.equal(rows().length, 1);
    const state = decodeState(rows()[0]!.format, rows()[0]!.state);
    assert.equal(state.seq, 2);
    assert.deepEqual(state.tracks.map((t) => t.id).sort(), ['RAD-1:1', 'RAD-1:2']);
    db.close();
  });

  test('after commit: a snapshot still being encoded when the database closes is dropped quietly', async () => {
    const dataDir = tempDataDir();
    const db = openDatabase(dataDir);
    const log = new EventLog(db, new ManualClock(Date.UTC(2026, 10, 26, 20, 0, 0)));
    const picture = new LivePicture(db);
    log.addProjector(picture.project);
    // Quietly: the writer sees the database closed and stops, rather than failing on it and reporting a snapshot not written.
    const reported: string[] = [];
    const writer = snapshotWriter(db, picture, { events: 1, ms: 1e12 }, undefined, 'after-commit', undefined, (message) => reported.push(message));
    log.addProjector(writer);
    log.append([{ kind: 'sensor.heartbeat', source: 'json:RAD-1', payload: { s: 'RAD-1' } }]);
    db.close();
    await writer.settled();
    assert.deepEqual(reported, []);
    const reopened = openDatabase(dataDir);
    assert.equal((reopened.prepare('SELECT count(*) AS n FROM picture_snapshots').get() as { n: number }).n, 0);
    reopened.close();
  });

  for (const timing of ['in-transaction', 'after-commit'] as const)
    test(`equals the live picture at random blocks, snapshots encoded ${timing}`, async () => {
      await busyNight(timing);
    });
});

/**
 * A night of random blocks through the real append path; the picture
 * replayed at the blocks captured equals the live picture there — whether
 * the replay starts from a snapshot, from its own cursor or from event 1.
 */
async function busyNight(timing: SnapshotTiming): Promise<void> {
  const dataDir = tempDataDir();
  const db = openDatabase(dataDir);
  const clock = new ManualClock(Date.UTC(2026, 10, 26, 20, 0, 0));
  const log = new EventLog(db, clock);
  log.addProjector(sectorProjector(db));
  const picture = new LivePicture(db);
  log.addProjector(picture.project);
  const vessels = new VesselPicture(db);
  log.addProjector(vessels.project);
  log.addProjector(shiftProjector(db));
  // After commit, in slices of two rows: the encoding spans several turns of the event loop while the next blocks change the picture.
  const writer = snapshotWriter(db, picture, { events: 40, ms: 1e12 }, vessels, timing, 2);
  log.addProjector(writer);
  const turns = seededRandom(7);
  const rnd = seededRandom(42);
  const ring: [number, number][] = [
    [1.7, 50.9],
    [1.8, 50.9],
    [1.8, 51.0],
    [1.7, 50.9],
  ];
  log.append([
    { kind: 'sector.defined', source: 'assets/sectors.geojson', payload: { id: 'S01', name: 'Sangatte', risk: 'high', order: 1, ring } },
    {
      kind: 'site.sensor',
      source: 'site',
      payload: { id: 'RAD-1', kind: 'radar', name: 'Radar', position: [1.58, 50.87], rangeMeters: 40000, heartbeatSeconds: 60 },
    },
    ...['U01', 'U02', 'U03'].map((u) => ({
      kind: 'site.unit',
      source: 'site',
      payload: { id: u, callsign: `OPALE ${u}`, type: 'quad', crew: 2, home: [1.76, 50.93] },
    })),
  ]);
  log.append([{ kind: 'shift.opened', source: 'console', operator: 'martin', payload: { shift: 1, by: 'martin' } }]);
  let alerts = 0;
  let incidents = 0;
  let assignments = 0;
  const captures: { seq: number; picture: ReplayPicture }[] = [];
  for (let block = 0; block < 400; block++) {
    clock.advance(1 + Math.floor(rnd() * 900));
    const events: NewEvent[] = [];
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      const r = rnd();
      const lat = Math.round((50.9 + rnd() * 0.1) * 1e5) / 1e5;
      const lon = Math.round((1.7 + rnd() * 0.1) * 1e5) / 1e5;
      // Ships on AIS: their positions, now and then their names, and sometimes one forgotten.
      if (rnd() < 0.2) {
        const m = 227_000_001 + Math.floor(rnd() * 5);
        const q = rnd();
        if (q < 0.75) events.push({ kind: 'ais.position', source: 'ais:AIS-1', payload: { s: 'AIS-1', m, msg: 1, lat, lon, cog: 12.5, sog: 11.2, hdg: 12 } });
        else if (q < 0.95)
          events.push({ kind: 'ais.static', source: 'ais:AIS-1', payload: { s: 'AIS-1', m, msg: 5, name: `SHIP ${m % 10}`, ty: 70, dest: 'DOVER' } });
        else events.push({ kind: 'ais.expired', source: 'core', payload: { m: [m] } });
      }
      if (r < 0.45)
        events.push({
          kind: 'track.update',
          source: 'json:RAD-1',
          payload: {
            cls: 'vessel',
            crs: Math.floor(rnd() * 360),
            lat,
            lon,
            s: 'RAD-1',
            sec: 'S01',
            spd: 12.5,
            t: `RAD-1:${1 + Math.floor(rnd() * 6)}`,
            ...(rnd() < 0.05 ? { lost: 1 } : {}),
          },
        });
      else if (r < 0.7)
        events.push({ kind: 'unit.position', source: 'json:U01', payload: { hdg: 90, lat, lon, sec: 'S01', spd: 3.5, u: `U0${1 + Math.floor(rnd() * 3)}` } });
      else if (r < 0.78)
        events.push({
          kind: 'alert.raised',
          source: 'json:RAD-1',
          payload: {
            id: `A${String(++alerts).padStart(5, '0')}`,
            kind: 'boat-at-sea',
            sev: 'high',
            s: 'RAD-1',
            subj: `track:${alerts}`,
            lat,
            lon,
            sec: 'S01',
            conf: 0.7,
          },
        });
      else if (r < 0.84) {
        const open = [...picture.alerts.values()].find((a) => a.status === 'new');
        if (open) {
          const id = `I${String(++incidents).padStart(5, '0')}`;
          events.push({ kind: 'incident.opened', source: 'console', operator: 'martin', payload: { id, alert: open.id, lat, lon, sec: 'S01' } });
          events.push({ kind: 'alert.acknowledged', source: 'console', operator: 'martin', payload: { alert: open.id, inc: id } });
        }
      } else if (r < 0.9) {
        const incident = [...picture.incidents.values()].find((x) => x.status === 'open');
        const unit = [...picture.units.values()].find((u) => u.status === 'available');
        if (incident && unit)
          events.push({
            kind: 'dispatch.assigned',
            source: 'console',
            operator: 'martin',
            payload: { a: `D${String(++assignments).padStart(5, '0')}`, u: unit.id, inc: incident.id, lat, lon, delivered: true },
          });
      } else if (r < 0.94) {
        const unit = [...picture.units.values()].find((u) => u.status === 'assigned' || u.status === 'en-route');
        if (unit)
          events.push({
            kind: 'unit.status',
            source: `json:${unit.id}`,
            payload: { u: unit.id, status: unit.status === 'assigned' ? 'en-route' : 'on-scene', a: unit.assignment, by: 'device' },
          });
      } else if (r < 0.97) {
        const incident = [...picture.incidents.values()].find((x) => x.status === 'open');
        if (incident)
          events.push({
            kind: 'incident.closed',
            source: 'console',
            operator: 'martin',
            payload: { inc: incident.id, outcome: 'false-alarm', notes: 'nothing there' },
          });
      } else events.push({ kind: 'track.expired', source: 'core', payload: { t: ['RAD-1:1', 'RAD-1:2'] } });
      // The next event of the block reads the picture: apply what is queued first.
      if (events.length > 0 && rnd() < 0.5) log.append(events.splice(0));
    }
    if (events.length > 0) log.append(events);
    if (timing === 'after-commit' && turns() < 0.6) await new Promise((resolve) => setImmediate(resolve));
    if (rnd() < 0.3) picture.takeDelta();
    if (rnd() < 0.15)
      captures.push({ seq: log.status().lastSeq, picture: sorted({ sectors: loadSectors(db), ...picture.snapshot(), vessels: vessels.list() }) }); // a copy: the live rows change on
  }
  assert.ok(
    captures.some((capture) => capture.picture.vessels!.some((vessel) => vessel.name !== null)),
    'named ships in the pictures compared',
  );
  await writer.settled();
  const snapshots = (db.prepare('SELECT count(*) AS n FROM picture_snapshots').get() as { n: number }).n;
  assert.ok(snapshots >= 10, `${snapshots} snapshots`);
  db.close();

  const replay = new ReplayService(() => openDatabase(dataDir, { readonly: true }), { chunk: 5 });
  try {
    const shuffled = captures
      .map((c) => ({ c, k: rnd() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.c);
    for (const { seq, picture: live } of [...shuffled, ...captures]) {
      const replayed = await replay.at('console', 1, { seq });
      assert.deepStrictEqual(sorted(replayed.picture), live, `at seq ${seq}`);
    }
  } finally {
    replay.close();
  }
}
