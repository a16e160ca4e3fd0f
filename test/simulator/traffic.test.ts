import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { angleBetween, destinationPoint, distanceMeters } from '../../electron/simulator/model/geo';
import type { SimMessage } from '../../electron/simulator/simulation';
import { benchScenario, nmeaDegrees, parseNmea, run, simulation, site } from './helpers';

describe('the same seed plays the same night', () => {
  const sequence = (seed: number) => {
    const sim = simulation(seed);
    // Three minutes: shipping, patrols, heartbeats and the first group on a beach.
    return run(sim, 180, 200).map((message) => `${message.endpoint} ${message.text}`);
  };

  test('same seed → identical message sequence; another seed → another one', () => {
    const a = sequence(2026);
    const b = sequence(2026);
    assert.ok(a.length > 30_000, `${a.length} messages`);
    assert.ok(a.some((line) => line.includes('"group-on-beach"')));
    assert.deepEqual(a, b);
    const c = sequence(2027);
    assert.notDeepEqual(a.slice(0, 2_000), c.slice(0, 2_000));
  });
});

describe('vessel traffic in the Dover Strait', () => {
  test('≥ 200 ships follow the lanes, inside their corridors and on the water, for 10 simulated minutes', () => {
    // Positions only: the radars' NMEA is checked below.
    const sim = simulation(
      7,
      (scenario) =>
        (scenario.radars.overrides = site.sensors.filter((sensor) => sensor.kind === 'radar').map((radar) => ({ sensor: radar.id, reportTargets: false }))),
    );
    const { geography, traffic } = sim;
    const lanes = traffic.lanes;
    assert.equal(lanes.length, 2);
    let checks = 0;
    for (let second = 0; second <= 600; second += 5) {
      if (second > 0) run(sim, 5);
      const ships = traffic.laneTargets();
      assert.ok(ships.length >= 200, `${ships.length} lane ships`);
      assert.ok(traffic.targets().length >= ships.length + 10, 'ferries and fishing boats too');
      for (const ship of ships) {
        const off = ship.lane.centre.project(ship.position).distance;
        assert.ok(off <= ship.lane.halfWidthMeters + 50, `${ship.id} is ${off.toFixed(0)} m off the ${ship.lane.id} lane`);
        assert.ok(!geography.land.isLand(ship.position), `${ship.id} on land at ${ship.position.join(',')}`);
        // Heading along the lane (course within a few degrees of the centre line's direction there; its bends are gentle).
        const along = ship.lane.centre.at(ship.lane.centre.project(ship.position).s).bearing;
        assert.ok(angleBetween(ship.course, along) < 10);
        const knots = ship.speedMs / 0.514444;
        assert.ok(knots >= 10 - 1e-9 && knots <= 20 + 1e-9, `${knots} kn`);
        checks += 1;
      }
      for (const vessel of traffic.targets()) assert.ok(!geography.land.isLand(vessel.position), `${vessel.id} on land`);
    }
    assert.ok(checks > 20_000);
  });

  test('the south-west-bound lane is nearer England, the north-east-bound nearer France', () => {
    const sim = simulation(1);
    const dover: [number, number] = [1.3134, 51.1279];
    const capGrisNez: [number, number] = [1.5839, 50.8718];
    const sw = sim.traffic.lanes.find((lane) => lane.id === 'SW')!;
    const ne = sim.traffic.lanes.find((lane) => lane.id === 'NE')!;
    assert.ok(sw.centre.project(dover).distance < ne.centre.project(dover).distance);
    assert.ok(ne.centre.project(capGrisNez).distance < sw.centre.project(capGrisNez).distance);
    const swCourse = sw.centre.at(sw.centre.length / 2).bearing;
    const neCourse = ne.centre.at(ne.centre.length / 2).bearing;
    assert.ok(swCourse > 180 && swCourse < 270 && neCourse > 0 && neCourse < 90);
  });

  test('the bench profile: 2,000 ships, each reported once a second by exactly one radar, none over 999 targets', () => {
    const sim = simulation(3, undefined, benchScenario);
    assert.equal(sim.traffic.laneTargets().length, 2_000);
    run(sim, 2);
    const reports = new Map<string, Map<string, number>>();
    for (const message of run(sim, 3)) {
      if (message.protocol !== 'nmea') continue;
      const s = parseNmea(message.text);
      const name = s.type === 'TTM' ? s.fields[10]! : s.fields[5]!;
      if (!name.startsWith('V')) continue;
      const byRadar = reports.get(name) ?? new Map<string, number>();
      byRadar.set(message.endpoint, (byRadar.get(message.endpoint) ?? 0) + 1);
      reports.set(name, byRadar);
    }
    assert.ok(reports.size >= 2_000, `${reports.size} ships reported`);
    assert.ok(
      [...reports.values()].every((byRadar) => byRadar.size === 1),
      'one radar per ship',
    );
    // Three seconds: three reports each (give or take one at the window's edges, and ships replaced at a lane's end).
    assert.ok([...reports.values()].filter((byRadar) => [...byRadar.values()][0]! >= 2 && [...byRadar.values()][0]! <= 4).length >= 1_990);
    const tracked = sim.radars.tracked();
    for (const [radar, count] of Object.entries(tracked)) assert.ok(count <= 999, `${radar} holds ${count} targets`);
    assert.deepEqual(Object.values(sim.radars.saturated()), [0, 0, 0, 0]);
    assert.equal(Object.values(tracked).reduce((sum, n) => sum + n, 0) >= 2_000, true);
    for (const ship of sim.traffic.laneTargets()) assert.ok(!sim.geography.land.isLand(ship.position));
  });
});

describe('radar reports', () => {
  test('NMEA sentences are valid, ≤ 82 characters, and say where the ships are', () => {
    const sim = simulation(11);
    const radars = new Map(site.sensors.filter((sensor) => sensor.kind === 'radar').map((radar) => [radar.id, radar]));
    const seen = { TTM: 0, TLL: 0, lost: 0 };
    let compared = 0;
    run(sim, 120, 1000, (messages: SimMessage[]) => {
      const targets = new Map([...sim.traffic.targets(), ...sim.launches.boats()].map((target) => [target.id, target]));
      for (const message of messages) {
        if (message.protocol !== 'nmea') continue;
        assert.ok(message.text.length <= 82 && message.text.endsWith('\r\n') && !message.text.slice(0, -2).includes('\n'));
        const s = parseNmea(message.text);
        assert.ok(s.checksumOk, message.text);
        assert.equal(s.talker, 'RA');
        const radar = radars.get(message.endpoint.slice('nmea:'.length))!;
        assert.ok(radar);
        let position: [number, number];
        let name: string;
        if (s.type === 'TTM') {
          const [num, dist, brg, brgRef, speed, course, courseRef, cpa, tcpa, units, targetName, status, , time, acq] = s.fields;
          assert.match(num!, /^\d{2,4}$/);
          assert.equal(brgRef, 'T');
          assert.equal(courseRef, 'T');
          assert.equal(units, 'N');
          assert.equal(acq, 'A');
          assert.match(time!, /^\d{6}\.\d{2}$/);
          // Lost (L) reports come once the ship is already out of range.
          if (status === 'T') assert.ok(Number(dist) * 1852 <= radar.rangeMeters + 10);
          for (const value of [speed, course, cpa, tcpa, brg]) assert.ok(Number.isFinite(Number(value)));
          assert.ok(Number(cpa) <= Number(dist) + 0.01);
          assert.ok(status === 'T' || status === 'L');
          if (status === 'L') seen.lost += 1;
          seen.TTM += 1;
          position = destinationPoint(radar.position, Number(brg), Number(dist) * 1852) as [number, number];
          name = targetName!;
        } else {
          assert.equal(s.type, 'TLL');
          seen.TLL += 1;
          position = [nmeaDegrees(s.fields[3]!, s.fields[4]!, 3), nmeaDegrees(s.fields[1]!, s.fields[2]!, 2)];
          name = s.fields[5]!;
        }
        assert.match(name, /^(V|SB)\d+$/);
        const target = targets.get(name);
        if (target && s.fields[11] !== 'L') {
          // Range to 0.01 nm and bearing to 0.1°: within a few tens of metres.
          assert.ok(distanceMeters(position, target.position) < 60, `${name}: ${distanceMeters(position, target.position).toFixed(0)} m off`);
          compared += 1;
        }
      }
    });
    // Mostly TTM: the scenario sends one report in ten as TLL.
    assert.ok(seen.TTM > 5 * seen.TLL && seen.TLL > 0, JSON.stringify(seen));
    assert.ok(seen.lost > 0, 'ships leaving range are reported lost');
    assert.ok(compared > 10_000);
  });

  test("a ship leaving a radar's range gets exactly one TTM with status L", () => {
    const sim = simulation(5);
    const lost = new Map<string, number>();
    const after = new Set<string>();
    run(sim, 300, 1000, (messages) => {
      for (const message of messages) {
        if (message.protocol !== 'nmea') continue;
        const s = parseNmea(message.text);
        const key = `${message.endpoint}:${s.type === 'TTM' ? s.fields[10] : s.fields[5]}`;
        if (s.type === 'TTM' && s.fields[11] === 'L') lost.set(key, (lost.get(key) ?? 0) + 1);
        else if (lost.has(key)) after.add(key);
      }
    });
    assert.ok(lost.size > 5);
    for (const [key, count] of lost) assert.equal(count, 1, key);
    assert.equal(after.size, 0, [...after].join(', '));
  });

  test('ships keep to 1 Hz per radar', () => {
    const sim = simulation(9);
    run(sim, 10);
    const counts = new Map<string, number>();
    for (const message of run(sim, 20, 200)) {
      if (message.protocol !== 'nmea') continue;
      const s = parseNmea(message.text);
      const key = `${message.endpoint}:${s.type === 'TTM' ? s.fields[10] : s.fields[5]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const values = [...counts.values()];
    assert.ok(values.filter((n) => n >= 19 && n <= 21).length / values.length > 0.9);
  });
});
