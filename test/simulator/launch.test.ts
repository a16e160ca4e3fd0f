import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonInbound } from '../../shared/feeds/jsonLines';
import { angleBetween, bearingDegrees, distanceMeters } from '../../electron/simulator/model/geo';
import type { Scenario } from '../../electron/simulator/scenario';
import type { SimMessage } from '../../electron/simulator/simulation';
import { jsonOf, parseNmea, run, simulation, site, xmlAttrs } from './helpers';

/** No launches of its own: the test starts them. */
const quiet = (scenario: Scenario) => {
  scenario.launches.perHour = 0;
  delete scenario.launches.firstSector;
};

describe('a small-boat launch', () => {
  test('group on the beach, then the launch, then a small boat heading out to sea — seen by camera, observer, radar and drone', () => {
    const sim = simulation(21, (scenario) => {
      quiet(scenario);
      scenario.launches.dispersalRadiusMeters = 0;
      // Shipping plays no part here; without it the test runs faster.
      scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0));
    });
    const launch = sim.startLaunch('S13');
    assert.equal(launch.sector.id, 'S13');
    assert.ok(launch.camera, 'the first group gathers where a camera sees it');
    assert.ok(sim.geography.land.isLand(launch.spot), 'the group waits on land');
    assert.ok(!sim.geography.land.isLand(launch.waterline));
    assert.ok(sim.geography.land.nearestCoast(launch.spot).distance < 300);

    const log: { t: number; message: SimMessage }[] = [];
    run(sim, 60 * 40, 1000, (messages) => messages.forEach((message) => log.push({ t: sim.now, message })));

    const detections = log.filter(({ message }) => message.kind === 'detection').map(({ t, message }) => ({ t, body: jsonOf(message) }));
    const groups = detections.filter((d) => d.body.kind === 'group-on-beach');
    const launches = detections.filter((d) => d.body.kind === 'boat-launch');
    assert.ok(groups.length >= 4, `${groups.length} group-on-beach detections`);
    assert.equal(launches.length, 1);
    for (const d of detections) {
      assert.ok(JsonInbound.safeParse(d.body).success);
      assert.equal(d.body.sensor, launch.camera!.id);
      const confidence = d.body.confidence as number;
      assert.ok(confidence >= 0.6 && confidence <= 0.95);
    }
    for (const g of groups) {
      const count = g.body.count as number;
      assert.ok(count >= 20 && count <= 70, `count ${count}`);
      assert.ok(distanceMeters([g.body.lon as number, g.body.lat as number], launch.spot) < 50);
    }
    // Repeated about every 30 s while gathering, all before the launch.
    for (let i = 1; i < groups.length; i++) assert.ok(groups[i]!.t - groups[i - 1]!.t >= 24_000 && groups[i]!.t - groups[i - 1]!.t <= 36_000);
    const launchedAt = launches[0]!.t;
    assert.ok(groups.every((g) => g.t < launchedAt));
    assert.ok(launchedAt - launch.startedAt >= 3 * 60_000 && launchedAt - launch.startedAt <= 9 * 60_000 + 1_000);

    // The small boat: radar tracks named SB…, only after the launch, heading away from France at 4–8 kn.
    const boat = launch.boat!;
    assert.match(boat.id, /^SB\d+$/);
    const fixes = log
      .filter(({ message }) => message.protocol === 'nmea')
      .map(({ t, message }) => ({ t, s: parseNmea(message.text), radar: message.endpoint.slice(5) }))
      .filter(({ s }) => s.type === 'TTM' && s.fields[10] === boat.id && s.fields[11] === 'T');
    assert.ok(fixes.length > 100, `${fixes.length} radar fixes of ${boat.id}`);
    assert.ok(fixes[0]!.t >= launchedAt);
    for (const fix of fixes) {
      const knots = Number(fix.s.fields[4]);
      assert.ok(knots >= 4 && knots <= 8, `${knots} kn`);
      // From the French beaches towards England: west to north.
      assert.ok(angleBetween(Number(fix.s.fields[5]), 315) <= 60, `course ${fix.s.fields[5]}`);
    }
    assert.ok(boat.course > 250 || boat.course < 20);
    const away = (point: readonly [number, number]) => sim.geography.land.nearestCoast(point, 'FR').distance;
    assert.ok(away(boat.position) > 5_000, 'well out to sea after half an hour');

    // An observer in range reported the launch with its own position, a bearing and a laser range.
    const optronic = log.filter(({ message }) => message.kind === 'optronic').map(({ t, message }) => ({ t, body: jsonOf(message) }));
    assert.ok(optronic.length >= 1);
    const first = optronic[0]!;
    assert.equal(first.body.kind, 'boat-launch');
    assert.ok(first.t >= launchedAt);
    const observer = site.sensors.find((sensor) => sensor.id === first.body.sensor)!;
    assert.equal(observer.kind, 'optronic');
    const body = first.body as { observer: { lat: number; lon: number }; bearing: number; range: number };
    assert.deepEqual([body.observer.lon, body.observer.lat], observer.position);
    assert.ok(angleBetween(body.bearing, bearingDegrees(observer.position, launch.waterline)) < 3);
    assert.ok(Math.abs(body.range - distanceMeters(observer.position, launch.waterline)) < 100);

    // A drone was diverted: it reports the boat as a sensor point of interest, then tracks it under its own parent link.
    const cot = log.filter(({ message }) => message.protocol === 'cot' && message.endpoint.startsWith('cot:DRN-'));
    const poi = cot.find(({ message }) => message.kind === 'b-m-p-s-p-i');
    assert.ok(poi, 'a drone sighting');
    assert.ok(poi.t > launchedAt);
    const drone = poi.message.endpoint.slice(4);
    assert.deepEqual(xmlAttrs(poi.message.text, 'link'), { uid: drone, relation: 'p-p', type: 'a-f-A-M-F-Q' });
    assert.deepEqual(xmlAttrs(poi.message.text, 'vigie'), { kind: 'boat-at-sea', confidence: '0.8', count: String(launch.people) });
    const tracks = cot.filter(({ message }) => message.kind === 'a-s-S');
    assert.ok(tracks.length > 10);
    for (const { message } of tracks) {
      assert.equal(xmlAttrs(message.text, 'event')!.type, 'a-s-S');
      assert.equal(xmlAttrs(message.text, 'link')!.uid, drone);
      assert.equal(xmlAttrs(message.text, 'link')!.relation, 'p-p');
    }
  });

  test('a patrol arriving while the group waits prevents the launch', () => {
    const sim = simulation(4, quiet);
    const launch = sim.startLaunch('S21');
    // Send the nearest land unit, by its own feed.
    const unit = [...sim.units.list]
      .filter((candidate) => candidate.profile.medium === 'land' && candidate.device.protocol === 'json')
      .sort((a, b) => distanceMeters(a.position, launch.spot) - distanceMeters(b.position, launch.spot))[0]!;
    const assignment = {
      v: 1,
      type: 'assignment',
      assignment: 'A-PREVENT',
      unit: unit.id,
      incident: 'I-1',
      kind: 'group-on-beach',
      lat: launch.spot[1],
      lon: launch.spot[0],
      sector: 'S21',
      time: new Date().toISOString(),
    };
    const { messages } = sim.receiveJsonLine(unit.id, JSON.stringify(assignment));
    assert.equal(jsonOf(messages[0]!).status, 'en-route');
    const seen: SimMessage[] = [];
    for (let t = 0; t < 3600 && launch.phase === 'gathering'; t += 5) seen.push(...sim.step(5_000));
    // The group scatters as the patrol comes within 250 m; the patrol carries on to the spot.
    assert.equal(launch.phase, 'prevented', `${unit.id} (${unit.type}) did not make it in time`);
    assert.ok(distanceMeters(unit.position, launch.spot) <= 250);
    seen.push(...run(sim, 120));
    assert.ok(seen.some((message) => message.kind === 'unit-ack' && jsonOf(message).status === 'on-scene'));
    assert.ok(!seen.some((message) => message.kind === 'detection' && jsonOf(message).kind === 'boat-launch'));
    assert.equal(launch.boat, undefined);
    assert.ok(sim.launches.boats().length === 0);
  });

  test('launches follow the configured rate, weighted towards high-risk beaches', () => {
    const sim = simulation(8, (scenario) => {
      scenario.launches.perHour = 45;
      scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0));
      // Radar reports play no part here.
      scenario.radars.overrides = site.sensors.filter((sensor) => sensor.kind === 'radar').map((radar) => ({ sensor: radar.id, reportTargets: false }));
    });
    run(sim, 2 * 3600, 5_000);
    const all = sim.launches.all();
    // 45 an hour for 2 hours (Poisson: ±3σ ≈ ±29), plus the first one.
    assert.ok(all.length > 60 && all.length < 122, `${all.length} launches`);
    const byRisk = { high: 0, medium: 0, low: 0 };
    for (const launch of all) byRisk[launch.sector.risk] += 1;
    // 18 high, 5 medium, 4 low sectors weighted 4:2:1 → high ≈ 72/86 of launches.
    assert.ok(byRisk.high / all.length > 0.7, JSON.stringify(byRisk));
    assert.ok(all.filter((launch) => launch.phase === 'at-sea').length > 20);
    for (const launch of all) {
      assert.ok(sim.geography.land.isLand(launch.spot));
      if (launch.boat) assert.ok(!sim.geography.land.isLand(launch.boat.position), `${launch.boat.id} on land`);
    }
  });

  test('a boat that reaches the English side leaves the picture: each radar reports it lost once', () => {
    const sim = simulation(12, (scenario) => {
      quiet(scenario);
      scenario.launches.gatherMinutes = [0.5, 0.5];
      scenario.launches.boatSpeedKnots = [18, 18];
      scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0));
    });
    const launch = sim.startLaunch('S15');
    const lost: string[] = [];
    for (let t = 0; t < 4 * 3600 && launch.phase !== 'crossed'; t += 10) {
      for (const message of sim.step(10_000)) {
        if (message.protocol !== 'nmea') continue;
        const s = parseNmea(message.text);
        if (s.type === 'TTM' && s.fields[10] === launch.boat?.id && s.fields[11] === 'L') lost.push(message.endpoint);
      }
    }
    assert.equal(launch.phase, 'crossed');
    assert.ok(launch.boat && sim.geography.land.countryAt(launch.boat.path.points[launch.boat.path.points.length - 1]!) === null);
    assert.equal(sim.launches.boats().length, 0);
    assert.ok(lost.length >= 1 && new Set(lost).size === lost.length, lost.join(', '));
  });
});
