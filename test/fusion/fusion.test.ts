// Fusion on simulated nights: the simulator's radars and AIS transponders
// watch the same ships, so its ground truth (which radar name is which MMSI)
// tells whether fusion got it right. The core's own parsers read the wire
// text, as they would from the sockets.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { AisAssembler } from '../../electron/core/feeds/ais/aisAssembler';
import { parseAisSentence } from '../../electron/core/feeds/ais/aisSentence';
import { aisToFeedMessages } from '../../electron/core/feeds/ais/aisToFeedMessages';
import { decodeAisMessage } from '../../electron/core/feeds/ais/decodeAisMessage';
import { parseNmeaSentence } from '../../electron/core/feeds/nmea/parseNmeaSentence';
import { FUSION, FusionEngine, type FusionChange } from '../../electron/core/fusion/fusionEngine';
import { SectorIndex } from '../../electron/core/geo/sectorIndex';
import { assetsDir } from '../../electron/core/paths';
import { readSectorFile } from '../../electron/core/picture/sectors';
import type { SeaTarget } from '../../electron/simulator/model/traffic';
import type { Simulation } from '../../electron/simulator/simulation';
import { DEFAULT_COASTAL_BAND_NM } from '../../shared/site';
import { destinationPoint, distanceMeters } from '../../shared/sphere';
import { site, simulation } from '../simulator/helpers';

const sectors = new SectorIndex(readSectorFile(path.join(assetsDir, 'sectors.geojson')));

interface NightResult {
  /** Radar tracks of ships that transmit AIS, seen long enough to judge; and those fused with their own MMSI at their last update. */
  shipTracks: number;
  rightAtEnd: number;
  /** Track updates fused with an MMSI that is not the ship's. */
  wrongUpdates: number;
  updates: number;
  smallBoatUpdates: number;
  smallBoatsAssociated: number;
  changes: FusionChange[];
  darkContacts: FusionChange[];
}

/** Runs a night and feeds fusion exactly what the core would get. */
function night(sim: Simulation, minutes: number, launches: number): NightResult {
  const fusion = new FusionEngine(DEFAULT_COASTAL_BAND_NM * 1852);
  const assembler = new AisAssembler<string>();
  const radars = new Map(site.sensors.filter((sensor) => sensor.kind === 'radar').map((sensor) => [sensor.id, { id: sensor.id, position: sensor.position }]));
  const truth = new Map<string, SeaTarget>();
  /** Per track: the name the radar gave, how many updates, how many AIS positions its ship had sent by then. */
  const tracks = new Map<string, { name: string; updates: number; last?: number }>();
  const aisHeard = new Map<number, number>();
  const result: NightResult = {
    shipTracks: 0,
    rightAtEnd: 0,
    wrongUpdates: 0,
    updates: 0,
    smallBoatUpdates: 0,
    smallBoatsAssociated: 0,
    changes: [],
    darkContacts: [],
  };
  for (let i = 0; i < launches; i++) sim.startLaunch();
  for (let second = 0; second < minutes * 60; second++) {
    const messages = sim.step(1000);
    const now = sim.stamp();
    for (const target of [...sim.traffic.targets(), ...sim.launches.boats()]) truth.set(target.id, target);
    for (const message of messages) {
      if (message.protocol === 'ais') {
        for (const line of message.text.split('\r\n').filter(Boolean)) {
          const read = parseAisSentence(line);
          assert.ok(read.ok, line);
          const { message: whole } = assembler.push('sim', read.sentence, line, now, 'sim');
          if (!whole) continue;
          const parsed = aisToFeedMessages(decodeAisMessage(whole.payload, whole.fill), 'AIS-GRISNEZ', now, false);
          assert.ok(parsed.ok);
          for (const m of parsed.messages) {
            if (m.type !== 'ais-position' || m.lat === undefined || m.lon === undefined) continue;
            aisHeard.set(m.mmsi, (aisHeard.get(m.mmsi) ?? 0) + 1);
            fusion.ais({ mmsi: m.mmsi, time: now, lat: m.lat, lon: m.lon, course: m.course, speed: m.speed });
          }
        }
        continue;
      }
      if (message.protocol !== 'nmea') continue;
      const radar = radars.get(message.endpoint.slice('nmea:'.length))!;
      const parsed = parseNmeaSentence(message.text, radar, now);
      assert.ok(parsed.ok, message.text);
      const m = parsed.messages[0]!;
      if (m.type !== 'track') continue;
      const fields = message.text.split('*')[0]!.split(',');
      const name = message.kind === 'TTM' ? fields[11]! : fields[6]!;
      const hit = sectors.locate(m.lat, m.lon);
      const changes = m.lost
        ? fusion.trackGone(m.track)
        : fusion.radar({
            track: m.track,
            sensor: m.sensor,
            time: now,
            lat: m.lat,
            lon: m.lon,
            course: m.course,
            speed: m.speed,
            cls: m.cls,
            coastMeters: hit?.meters,
          });
      result.changes.push(...changes);
      result.darkContacts.push(...changes.filter((change) => change.kind === 'dark-contact'));
      if (m.lost) {
        tracks.delete(m.track);
        continue;
      }
      const entry = tracks.get(m.track) ?? { name, updates: 0 };
      entry.updates += 1;
      tracks.set(m.track, entry);
      const target = truth.get(name);
      const associated = fusion.associationOf(m.track);
      entry.last = associated;
      result.updates += 1;
      if (!target || target.cls === 'small-boat') {
        result.smallBoatUpdates += 1;
        if (associated !== undefined) result.smallBoatsAssociated += 1;
        continue;
      }
      const ship = sim.ais.shipOf(target);
      if (associated !== undefined && associated !== ship?.mmsi) result.wrongUpdates += 1;
    }
  }
  // Judge every ship track still held at the end that had time to be fused: seen on enough updates, its ship heard often enough.
  for (const entry of tracks.values()) {
    const target = truth.get(entry.name);
    if (!target || target.cls === 'small-boat') continue;
    const ship = sim.ais.shipOf(target);
    if (!ship || entry.updates < FUSION.window * 2 || (aisHeard.get(ship.mmsi) ?? 0) < FUSION.hitsToAssociate * 2) continue;
    result.shipTracks += 1;
    if (entry.last === ship.mmsi) result.rightAtEnd += 1;
  }
  return result;
}

describe('fusion on simulated nights', () => {
  for (const seed of [11, 42]) {
    test(`seed ${seed}: ≥ 99 % of ship tracks carry their own MMSI, no small boat is ever associated`, (t) => {
      const result = night(simulation(seed), 20, 3);
      const associations = result.changes.filter((change) => change.kind === 'associated').length;
      t.diagnostic(
        `ship tracks ${result.shipTracks}, right ${result.rightAtEnd}, wrong updates ${result.wrongUpdates}/${result.updates}, small-boat updates ${result.smallBoatUpdates}, associations logged ${associations}, dark contacts ${result.darkContacts.length}`,
      );
      assert.ok(result.shipTracks >= 50, `${result.shipTracks} ship tracks judged`);
      const share = result.rightAtEnd / result.shipTracks;
      assert.ok(share >= 0.99, `${result.rightAtEnd} of ${result.shipTracks} ship tracks right (${(share * 100).toFixed(2)} %)`);
      assert.ok(result.wrongUpdates / result.updates < 0.002, `${result.wrongUpdates} of ${result.updates} updates fused with the wrong ship`);
      assert.ok(result.smallBoatUpdates > 0, 'small boats were at sea');
      assert.equal(result.smallBoatsAssociated, 0, 'no small boat track is ever associated');
      // No simulated transponder is ever switched off: a ship reporting at its
      // own rate (every 3 minutes at anchor or moored) is not AIS silent.
      const silent = result.changes.filter((change) => change.kind === 'ais-silent');
      assert.deepEqual(silent, [], 'no AIS-silent alert for ships that report at their own rate');
    });
  }

  test('a small boat leaving a beach raises one dark contact, with its reasons', (t) => {
    const result = night(simulation(7), 20, 3);
    t.diagnostic(JSON.stringify(result.darkContacts));
    assert.ok(result.darkContacts.length >= 1, 'dark contacts raised');
    for (const change of result.darkContacts) {
      assert.equal(change.kind, 'dark-contact');
      if (change.kind !== 'dark-contact') continue;
      assert.ok(change.reasons.includes('no-ais') && change.reasons.includes('coastal-band'), change.reasons.join());
      assert.ok(change.reasons.includes('leaving-beach') || change.reasons.includes('loitering'), change.reasons.join());
    }
    const tracks = result.darkContacts.map((change) => change.track);
    assert.equal(new Set(tracks).size, tracks.length, 'one alert per track');
  });
});

describe('fusion rules on hand-made tracks', () => {
  const ship = (time: number, lat: number) => ({ mmsi: 227000111, time, lat, lon: 1.6, course: 0, speed: 10 });
  const radar = (time: number, lat: number, extra: Partial<Parameters<FusionEngine['radar']>[0]> = {}) => ({
    track: 'RAD:1',
    sensor: 'RAD',
    time,
    lat,
    lon: 1.6,
    course: 0,
    speed: 10,
    cls: 'vessel' as const,
    coastMeters: 3000,
    ...extra,
  });
  /** 10 kn north is 5.14 m/s: about 4.6e-5° of latitude per second. */
  const degreesPerSecond = (10 * 1852) / 3600 / 111_195;

  test('associates after three in-gate updates, raises AIS silent when the ship stops transmitting in the band, lets go when it has been gone 10 minutes', () => {
    const fusion = new FusionEngine(6 * 1852);
    const changes: FusionChange[] = [];
    let lat = 50.9;
    for (let s = 0; s <= 20; s++) {
      if (s % 10 === 0) fusion.ais(ship(s * 1000, lat));
      changes.push(...fusion.radar(radar(s * 1000, lat + 0.0003)));
      lat += degreesPerSecond;
    }
    const associated = changes.filter((change) => change.kind === 'associated');
    assert.equal(associated.length, 1);
    assert.equal(fusion.associationOf('RAD:1'), 227000111);
    // The ship goes silent; its radar track goes on.
    for (let s = 21; s <= 21 + 11 * 60; s += 5) {
      changes.push(...fusion.radar(radar(s * 1000, 50.9 + s * degreesPerSecond)));
    }
    const silent = changes.filter((change) => change.kind === 'ais-silent');
    assert.equal(silent.length, 1, 'one AIS-silent alert');
    assert.deepEqual(
      changes.filter((change) => change.kind === 'released').map((change) => change.kind === 'released' && change.why),
      ['ais-gone'],
    );
    assert.equal(fusion.associationOf('RAD:1'), undefined);
  });

  test('a moored ship reporting every 3 minutes is not AIS silent; two reports missed, it is', () => {
    const fusion = new FusionEngine(6 * 1852);
    const changes: FusionChange[] = [];
    const moored = (time: number) => ({ mmsi: 227000111, time, lat: 50.9, lon: 1.6, speed: 0 });
    const still = (time: number) => radar(time, 50.9003, { speed: 0, course: undefined });
    // Reports at 0, 3, 6… minutes (ITU-R M.1371 for a ship moored), the radar every 3 s, for 30 minutes;
    // the radar update of the second a report is due comes before it.
    for (let s = 0; s <= 30 * 60; s += 3) {
      changes.push(...fusion.radar(still(s * 1000)));
      if (s % 180 === 0) fusion.ais(moored(s * 1000));
    }
    assert.equal(fusion.associationOf('RAD:1'), 227000111);
    assert.deepEqual(
      changes.filter((change) => change.kind === 'ais-silent'),
      [],
    );
    // Then it stops transmitting: silent once two reports are missed (6 minutes), not before.
    for (let s = 30 * 60 + 3; s <= 36 * 60 + 30; s += 3) {
      const raised = fusion.radar(still(s * 1000)).filter((change) => change.kind === 'ais-silent');
      if (s < 36 * 60) assert.deepEqual(raised, [], `nothing at ${s} s`);
      changes.push(...raised);
    }
    const silent = changes.filter((change) => change.kind === 'ais-silent');
    assert.equal(silent.length, 1);
    assert.equal(silent[0]!.kind === 'ais-silent' && silent[0]!.silentMs, 6 * 60_000);
  });

  test("a ship sailing out of the AIS receivers' range is not AIS silent; one that goes quiet well inside it is", () => {
    // The bench night that raised them (issue 17 item 5): AIS-GRISNEZ hears 74 km, and RAD-DUNKERQUE's
    // eastbound lane at 51.17 N crosses that range near 2.53 E; the simulator (like a real receiver) stops
    // hearing a ship there, while the radar tracks it on.
    const receiver = { position: [1.5835, 50.8714] as const, rangeMeters: 74_000 };
    const run = (fusion: FusionEngine, from: { lat: number; lon: number }, mutedAfterS = Infinity) => {
      const changes: FusionChange[] = [];
      for (let s = 0; s <= 20 * 60; s += 5) {
        const at = destinationPoint(from.lat, from.lon, 86, (15 * 1852 * s) / 3600);
        const heard = distanceMeters(at.lat, at.lon, receiver.position[1], receiver.position[0]) <= receiver.rangeMeters && s < mutedAfterS;
        if (s % 10 === 0 && heard) fusion.ais({ mmsi: 352813079, time: s * 1000, lat: at.lat, lon: at.lon, course: 86, speed: 15 });
        changes.push(
          ...fusion.radar({
            track: 'RAD-DUNKERQUE:540',
            sensor: 'RAD-DUNKERQUE',
            time: s * 1000,
            ...at,
            course: 86,
            speed: 15,
            cls: 'vessel',
            coastMeters: 8000,
          }),
        );
      }
      return changes.filter((change) => change.kind === 'ais-silent');
    };
    const leaving = { lat: 51.172, lon: 2.458 };
    // Without the receivers' coverage fusion cannot tell, and calls it silent (as it did 141 times that night).
    assert.equal(run(new FusionEngine(6 * 1852), leaving).length, 1);
    assert.deepEqual(run(new FusionEngine(6 * 1852, [receiver]), leaving), []);
    // Well inside coverage (50 km from the receiver), a transponder switched off is still AIS silent.
    const silent = run(new FusionEngine(6 * 1852, [receiver]), { lat: 51.15, lon: 2.15 }, 120);
    assert.equal(silent.length, 1);
    assert.equal(silent[0]!.kind === 'ais-silent' && silent[0]!.mmsi, 352813079);
  });

  test('a stall of the core or the feeds is not AIS silence: silence counts only while the radar sees the ship', () => {
    // Bench bursts (issue 17 item 5): after a stall, dozens of ships in good coverage raised AIS silent in the
    // same second, on the first radar update after it, before their next AIS report was read.
    const run = (aisAfterStall: boolean) => {
      const fusion = new FusionEngine(6 * 1852);
      const changes: FusionChange[] = [];
      const step = (s: number, withAis: boolean) => {
        const lat = 50.9 + s * degreesPerSecond;
        changes.push(...fusion.radar(radar(s * 1000, lat + 0.0003)));
        if (withAis && s % 10 === 0) fusion.ais(ship(s * 1000 + 1000, lat + degreesPerSecond));
      };
      for (let s = 0; s <= 120; s += 5) step(s, true);
      assert.equal(fusion.associationOf('RAD:1'), 227000111);
      // Nothing at all is read for 4 minutes; then the radar's update comes first, the ship's report a second later.
      for (let s = 120 + 240; s <= 120 + 240 + 5 * 60; s += 5) step(s, aisAfterStall);
      return changes.filter((change) => change.kind === 'ais-silent');
    };
    assert.deepEqual(run(true), []);
    // A ship that stays quiet after the stall is silent once the radar has seen it for 3 minutes without a report.
    const silent = run(false);
    assert.equal(silent.length, 1);
    // Raised 3 minutes after the radar came back (360 s + 180 s); the ship was last heard at 121 s.
    assert.equal(silent[0]!.kind === 'ais-silent' && silent[0]!.silentMs, (540 - 121) * 1000);
  });

  test('lets go when the track leaves the gate on three updates (diverged), and never raises a dark contact for a vessel', () => {
    const fusion = new FusionEngine(6 * 1852);
    const changes: FusionChange[] = [];
    for (let s = 0; s < 6; s++) {
      fusion.ais(ship(s * 1000, 50.9 + s * degreesPerSecond));
      changes.push(...fusion.radar(radar(s * 1000, 50.9 + s * degreesPerSecond)));
    }
    assert.equal(fusion.associationOf('RAD:1'), 227000111);
    // The radar now follows something 1 km away, heading elsewhere.
    for (let s = 6; s < 12; s++) {
      fusion.ais(ship(s * 1000, 50.9 + s * degreesPerSecond));
      changes.push(...fusion.radar(radar(s * 1000, 50.91 + s * degreesPerSecond, { course: 90 })));
    }
    assert.deepEqual(
      changes.filter((change) => change.kind === 'released').map((change) => change.kind === 'released' && change.why),
      ['diverged'],
    );
    assert.equal(changes.filter((change) => change.kind === 'dark-contact').length, 0);
  });

  test('a slow unknown contact loitering off a beach with no AIS is a dark contact; one beyond the band is not', () => {
    const fusion = new FusionEngine(6 * 1852);
    const near: FusionChange[] = [];
    const far: FusionChange[] = [];
    for (let s = 0; s < 8; s++) {
      near.push(...fusion.radar({ track: 'R:near', sensor: 'R', time: s * 1000, lat: 50.8, lon: 1.6, speed: 1, course: 10, cls: 'unknown', coastMeters: 800 }));
      far.push(
        ...fusion.radar({ track: 'R:far', sensor: 'R', time: s * 1000, lat: 50.9, lon: 1.3, speed: 1, course: 10, cls: 'unknown', coastMeters: 15_000 }),
      );
    }
    const dark = near.filter((change) => change.kind === 'dark-contact');
    assert.equal(dark.length, 1);
    assert.deepEqual(dark[0]!.kind === 'dark-contact' && dark[0]!.reasons, ['no-ais', 'coastal-band', 'small-boat-speed', 'loitering']);
    assert.deepEqual(far, []);
  });
});
