// Compact deltas (issue 17 item 4): the tracks of a picture delta column by
// column come back as the same TrackViews (positions to 1e-6°, course and
// speed to 0.1) in well under half the bytes of one object per track; bad
// columns are refused whole rather than read half.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packTracks, TrackColumnsError, unpackTracks, type TrackColumns } from '../../shared/contract';
import type { TrackView } from '../../shared/contract';
import { seededRandom } from '../../electron/simulator/model/random';

function tracks(count: number): TrackView[] {
  const random = seededRandom(17);
  const radars = ['RAD-GRISNEZ', 'RAD-DUNKERQUE', 'RAD-TOUQUET', 'RAD-BOULOGNE'];
  const now = Date.UTC(2026, 11, 5, 21, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const sensor = radars[i % radars.length]!;
    return {
      id: `${sensor}:${i + 1}`,
      sensor,
      cls: i % 50 === 0 ? 'small-boat' : i % 7 === 0 ? 'unknown' : 'vessel',
      lat: 50.5 + random() * 0.8,
      lon: 1.2 + random() * 1.2,
      course: i % 11 === 0 ? null : random() * 360,
      speed: i % 11 === 0 ? null : random() * 25,
      sector: i % 3 === 0 ? `S${String(1 + (i % 24)).padStart(2, '0')}` : null,
      time: now - Math.floor(random() * 1000),
      stale: i % 5 === 0 ? now + 60_000 : null,
    };
  });
}

describe('track columns', () => {
  test('unpacked, the same tracks, to the stated rounding', () => {
    const original = tracks(1_000);
    const back = unpackTracks(packTracks(original));
    assert.equal(back.length, original.length);
    back.forEach((track, i) => {
      const was = original[i]!;
      assert.deepEqual(
        { ...track, lat: 0, lon: 0, course: 0, speed: 0 },
        { ...was, lat: 0, lon: 0, course: 0, speed: 0 },
        `track ${was.id}: the same id, sensor, class, sector and times`,
      );
      assert.ok(Math.abs(track.lat - was.lat) <= 5e-7 && Math.abs(track.lon - was.lon) <= 5e-7, `${was.id}: position within 1e-6°`);
      assert.equal(track.course === null, was.course === null);
      if (was.course !== null) assert.ok(Math.abs(track.course! - was.course) <= 0.05);
      if (was.speed !== null) assert.ok(Math.abs(track.speed! - was.speed) <= 0.05);
    });
    assert.deepEqual(unpackTracks(packTracks([])), []);
  });

  test('10,000 tracks take well under half the bytes of one object each', () => {
    const many = tracks(10_000);
    const objects = Buffer.byteLength(JSON.stringify(many));
    const columns = Buffer.byteLength(JSON.stringify(packTracks(many)));
    assert.ok(columns < objects * 0.45, `${columns} bytes in columns against ${objects} as objects (${((columns / objects) * 100).toFixed(0)} %)`);
  });

  test('columns of different lengths, or an index out of range, are refused whole', () => {
    const good = packTracks(tracks(3));
    const short: TrackColumns = { ...good, lat: good.lat.slice(1) };
    assert.throws(() => unpackTracks(short), TrackColumnsError);
    assert.throws(() => unpackTracks({ ...good, sensor: [0, 0, 99] }), /name 99 is not in the delta's \d+ names/);
    assert.throws(() => unpackTracks({ ...good, cls: [0, 0, 9] }), /track class 9 is unknown/);
  });
});
