// The reach test before the gate (fusionEngine.ts bestCandidate) only skips
// ships the gate would refuse: fusion with it and without it gives the same
// changes, update by update, on a dense strait where ships cross, stop,
// report without speed or course, and go silent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FusionEngine, type FusionChange, type RadarUpdate } from '../../electron/core/fusion/fusionEngine';
import { destinationPoint } from '../../shared/sphere';
import { seededRandom } from '../../electron/simulator/model/random';

test('pruned and unpruned association give the same answers', () => {
  const next = seededRandom(3);
  const noise = () => (next() + next() + next() - 1.5) * 2;
  // 700 ships in a 15 × 10 km box: several per gate, so the best candidate is contested.
  const fleet = Array.from({ length: 700 }, (_, i) => ({
    mmsi: 227_000_000 + i,
    lat: 50.9 + next() * 0.09,
    lon: 1.3 + next() * 0.21,
    course: next() * 360,
    // A fifth moored or drifting, a few fast; some report no speed or no course.
    knots: i % 5 === 0 ? next() * 0.8 : i % 37 === 0 ? 30 + next() * 10 : 2 + next() * 18,
    aisEveryS: i % 5 === 0 ? 180 : 2 + Math.floor(next() * 9),
    noSpeed: i % 23 === 0,
    noCourse: i % 19 === 0,
    // Some go silent halfway (their associations must age out alike).
    silentFrom: i % 11 === 0 ? 10 : Infinity,
    hasAis: i % 13 !== 0,
  }));
  const pruned = new FusionEngine(6 * 1852);
  const full = new FusionEngine(6 * 1852, [], false);
  const start = Date.UTC(2026, 11, 4, 21);
  const kinds = new Map<string, number>();
  for (let second = 0; second < 200; second++) {
    const time = start + second * 1000;
    for (const ship of fleet) {
      const moved = destinationPoint(ship.lat, ship.lon, ship.course, (ship.knots * 1852) / 3600);
      ship.lat = moved.lat;
      ship.lon = moved.lon;
      if (!ship.hasAis || second >= ship.silentFrom || second % ship.aisEveryS !== ship.mmsi % ship.aisEveryS) continue;
      const ais = {
        mmsi: ship.mmsi,
        time,
        lat: ship.lat,
        lon: ship.lon,
        course: ship.noCourse ? undefined : ship.course,
        speed: ship.noSpeed ? undefined : ship.knots,
      };
      pruned.ais(ais);
      full.ais(ais);
    }
    for (const ship of fleet) {
      const seen = destinationPoint(ship.lat, ship.lon, next() * 360, Math.abs(noise()) * 60);
      const update: RadarUpdate = {
        track: `RAD:${ship.mmsi - 227_000_000}`,
        sensor: 'RAD',
        time,
        lat: seen.lat,
        lon: seen.lon,
        course: (ship.course + noise() * 5 + 360) % 360,
        speed: Math.max(0, ship.knots + noise()),
        cls: ship.knots < 1 ? 'unknown' : 'vessel',
        coastMeters: 5_000,
      };
      const a: FusionChange[] = pruned.radar(update);
      const b: FusionChange[] = full.radar(update);
      assert.deepEqual(a, b, `${update.track} at second ${second}`);
      for (const change of a) kinds.set(change.kind, (kinds.get(change.kind) ?? 0) + 1);
    }
    if (second % 60 === 59) assert.deepEqual(pruned.forgetSilentShips(time), full.forgetSilentShips(time));
  }
  const associated = fleet.filter((ship) => pruned.associationOf(`RAD:${ship.mmsi - 227_000_000}`) !== undefined).length;
  for (const ship of fleet) {
    const track = `RAD:${ship.mmsi - 227_000_000}`;
    assert.equal(pruned.associationOf(track), full.associationOf(track), track);
  }
  // The comparison covered real work: most ships associated, and releases and silences happened.
  assert.ok(associated > 400, `${associated} associated`);
  for (const kind of ['associated', 'released', 'ais-silent']) assert.ok((kinds.get(kind) ?? 0) > 10, JSON.stringify([...kinds]));
});
