import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KNOT_MS, distanceMeters } from '../../electron/simulator/model/geo';
import type { SimMessage } from '../../electron/simulator/simulation';
import { jsonOf, nightScenario, run, simulation, site, xmlAttrs } from './helpers';

describe('sensor heartbeats and silences', () => {
  test('every sensor is heard well within its heartbeat period, except the one the scenario silences, for exactly its silence', () => {
    const sim = simulation(41, (scenario) => scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0)));
    const heard = new Map<string, number[]>();
    run(sim, 45 * 60, 1000, (messages: SimMessage[]) => {
      for (const message of messages) {
        const sensor = message.endpoint.slice(message.endpoint.indexOf(':') + 1);
        if (!site.sensors.some((candidate) => candidate.id === sensor)) continue;
        if (message.kind === 'heartbeat') assert.equal(jsonOf(message).sensor, sensor);
        const times = heard.get(sensor) ?? [];
        times.push(sim.now);
        heard.set(sensor, times);
      }
    });
    const silence = nightScenario.sensors.silences[0]!;
    assert.equal(silence.sensor, 'CAM-WISSANT');
    const from = silence.afterMinutes * 60_000;
    const to = from + silence.forMinutes * 60_000;
    for (const sensor of site.sensors) {
      const times = heard.get(sensor.id) ?? [];
      assert.ok(times.length > 0, `${sensor.id} never heard`);
      let longest = times[0]!;
      for (let i = 1; i < times.length; i++) {
        const gap = times[i]! - times[i - 1]!;
        if (sensor.id === silence.sensor && times[i - 1]! < from + 1 && times[i]! >= to) continue;
        longest = Math.max(longest, gap);
      }
      assert.ok(longest <= sensor.heartbeatSeconds * 1000 * 0.6, `${sensor.id}: ${longest} ms without a word (heartbeat ${sensor.heartbeatSeconds} s)`);
      if (sensor.id === silence.sensor) {
        assert.ok(!times.some((t) => t > from && t < to), 'silent during its silence');
        assert.ok(
          times.some((t) => t >= to && t < to + sensor.heartbeatSeconds * 1000),
          'back afterwards',
        );
      }
    }
  });

  test('radars send a JSON heartbeat besides their NMEA', () => {
    const sim = simulation(42);
    const messages = run(sim, 30);
    for (const radar of site.sensors.filter((sensor) => sensor.kind === 'radar')) {
      assert.ok(
        messages.some((message) => message.endpoint === `json:${radar.id}` && message.kind === 'heartbeat'),
        radar.id,
      );
    }
  });
});

describe('drones', () => {
  test('two drones patrol their stretch of coast at about 30 kn, reporting a-f-A-M-F-Q every 2 s under their own uid', () => {
    const sim = simulation(43, (scenario) => {
      scenario.launches.perHour = 0;
      delete scenario.launches.firstSector;
      scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0));
    });
    const fixes = new Map<string, { t: number; lat: number; lon: number; speed: number }[]>();
    run(sim, 600, 1000, (messages) => {
      for (const message of messages) {
        if (message.kind !== 'a-f-A-M-F-Q') continue;
        const event = xmlAttrs(message.text, 'event')!;
        const point = xmlAttrs(message.text, 'point')!;
        assert.equal(message.endpoint, `cot:${event.uid}`);
        assert.equal(point.hae, '120');
        const list = fixes.get(event.uid!) ?? [];
        list.push({ t: sim.now, lat: Number(point.lat), lon: Number(point.lon), speed: Number(xmlAttrs(message.text, 'track')!.speed) });
        fixes.set(event.uid!, list);
      }
    });
    assert.deepEqual([...fixes.keys()].sort(), ['DRN-1', 'DRN-2']);
    for (const [drone, list] of fixes) {
      assert.ok(list.length >= 295 && list.length <= 301, `${drone}: ${list.length} positions in 10 min`);
      const patrol = nightScenario.drones.patrols.find((candidate) => candidate.sensor === drone)!;
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1]!;
        const b = list[i]!;
        assert.equal(b.t - a.t, 2_000);
        const speed = distanceMeters([a.lon, a.lat], [b.lon, b.lat]) / 2;
        // At the ends of its line a drone turns back, so a fix can be a little short of 2 s of flight.
        assert.ok(speed <= 30 * KNOT_MS * 1.01, `${drone} at ${(speed / KNOT_MS).toFixed(1)} kn`);
        assert.ok(Math.abs(b.speed - 30 * KNOT_MS) < 0.1);
      }
      const lineStart = patrol.path[0]!;
      const lineEnd = patrol.path[patrol.path.length - 1]!;
      const span = distanceMeters(lineStart, lineEnd);
      for (const fix of list)
        assert.ok(distanceMeters([fix.lon, fix.lat], lineStart) <= span + 1_000 && distanceMeters([fix.lon, fix.lat], lineEnd) <= span + 1_000);
    }
  });
});
