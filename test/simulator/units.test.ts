import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeCotTasking } from '../../electron/core/feeds/cot/encodeCotTasking';
import { JsonInbound } from '../../shared/feeds/jsonLines';
import type { LonLat } from '../../electron/simulator/model/geo';
import { KMH_MS, KNOT_MS, distanceMeters } from '../../electron/simulator/model/geo';
import type { PatrolUnit } from '../../electron/simulator/model/units';
import type { Scenario } from '../../electron/simulator/scenario';
import type { SimMessage, Simulation } from '../../electron/simulator/simulation';
import { jsonOf, run, simulation, xmlAttrs } from './helpers';

const noLaunches = (scenario: Scenario) => {
  scenario.launches.perHour = 0;
  delete scenario.launches.firstSector;
  scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0));
};

function jsonAssignment(unit: string, assignment: string, to: LonLat): string {
  return JSON.stringify({
    v: 1,
    type: 'assignment',
    assignment,
    unit,
    incident: `I-${assignment}`,
    kind: 'group-on-beach',
    lat: to[1],
    lon: to[0],
    sector: 'S13',
    time: '2026-01-15T21:00:00Z',
  });
}

/** What the core writes (its own encoder): a t-x-d addressed by a p-p link. */
function cotTasking(uid: string, assignment: string, to: LonLat, status: 'assigned' | 'cancelled' | 'cleared' = 'assigned'): string {
  return encodeCotTasking({
    assignment,
    unit: { uid, callsign: 'X' },
    incident: `I-${assignment}`,
    lat: to[1],
    lon: to[0],
    status,
    kind: 'boat-launch',
    sector: 'S13',
    now: Date.parse('2026-01-15T21:00:00Z'),
  });
}

/** The same as a TAK server might relay it: XML declaration, addressed by <marti><dest>. */
function takTasking(uid: string, assignment: string, to: LonLat, status = 'assigned'): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="vigie-task-${assignment}" type="t-x-d" time="2026-01-15T21:00:00Z" start="2026-01-15T21:00:00Z" stale="2026-01-15T22:00:00Z" how="h-g-i-g-o">` +
    `<point lat="${to[1]}" lon="${to[0]}" hae="0" ce="9999999" le="9999999"/><detail><marti><dest uid="${uid}"/></marti>` +
    `<vigie assignment="${assignment}" incident="I-${assignment}" status="${status}" kind="boat-launch" sector="S13"/></detail></event>`
  );
}

/** A point `meters` further along the unit's own coast route: reachable, in its medium. */
function alongRoute(sim: Simulation, unit: PatrolUnit, meters: number): LonLat {
  const route = sim.geography.route(unit.profile.medium);
  const here = route.project(unit.position).s;
  return route.at(here + meters > route.length ? here - meters : here + meters).point;
}

interface Fix {
  t: number;
  position: LonLat;
  speedKnots: number;
}

/** Steps until `done`, collecting the unit's acks and position fixes from its own connection. */
function follow(sim: Simulation, unit: PatrolUnit, seconds: number, done: (acks: string[]) => boolean) {
  const acks: string[] = [];
  const fixes: Fix[] = [];
  const endpoint = `${unit.device.protocol}:${unit.id}`;
  for (let t = 0; t < seconds && !done(acks); t += 1) {
    for (const message of sim.step(1_000)) {
      if (message.endpoint !== endpoint) continue;
      if (message.protocol === 'json') {
        const body = jsonOf(message);
        assert.ok(JsonInbound.safeParse(body).success, message.text);
        if (body.type === 'unit-ack') acks.push(String(body.status));
        if (body.type === 'unit-position') fixes.push({ t: sim.now, position: [body.lon as number, body.lat as number], speedKnots: body.speed as number });
      } else {
        const event = xmlAttrs(message.text, 'event')!;
        if (event.type === 'y-a') acks.push(xmlAttrs(message.text, 'vigie')!.status!);
        if (event.type === 'a-f-G-U-C') {
          const point = xmlAttrs(message.text, 'point')!;
          fixes.push({ t: sim.now, position: [Number(point.lon), Number(point.lat)], speedKnots: Number(xmlAttrs(message.text, 'track')!.speed) / KNOT_MS });
        }
      }
    }
  }
  return { acks, fixes };
}

/** Ground speed between consecutive fixes while moving, m/s. */
function speeds(fixes: Fix[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < fixes.length; i++) {
    const moved = distanceMeters(fixes[i - 1]!.position, fixes[i]!.position);
    if (moved > 0) out.push(moved / ((fixes[i]!.t - fixes[i - 1]!.t) / 1000));
  }
  return out;
}

describe('units act on their assignments', () => {
  test("JSON unit: en route at once, at its type's speed, on scene within 150 m, then cleared and back on patrol", () => {
    const sim = simulation(31, noLaunches);
    const unit = sim.units.get('U10')!; // PIETON 10, on foot, JSON feed
    assert.equal(unit.type, 'foot');
    run(sim, 30);
    const target = alongRoute(sim, unit, 1_200);
    const { messages, tasking } = sim.receiveJsonLine('U10', jsonAssignment('U10', 'A-101', target));
    assert.equal(tasking.type, 'assign');
    assert.equal(messages.length, 1);
    assert.deepEqual(
      { ...jsonOf(messages[0]!), time: undefined },
      { v: 1, type: 'unit-ack', unit: 'U10', assignment: 'A-101', status: 'en-route', time: undefined },
    );

    const trip = follow(sim, unit, 3_600, (acks) => acks.includes('on-scene'));
    assert.deepEqual(trip.acks, ['on-scene']);
    assert.ok(distanceMeters(unit.position, target) <= 150);
    const moving = speeds(trip.fixes).slice(1, -1);
    assert.ok(moving.length > 50);
    for (const speed of moving) assert.ok(Math.abs(speed - 5 * KMH_MS) / (5 * KMH_MS) < 0.03, `${(speed / KMH_MS).toFixed(2)} km/h`);
    for (const fix of trip.fixes.slice(1, -1)) assert.ok(Math.abs(fix.speedKnots - (5 * KMH_MS) / KNOT_MS) < 0.1);

    // Stays on scene for 5–12 minutes, then cleared and back to patrol.
    const stay = follow(sim, unit, 13 * 60, (acks) => acks.includes('cleared'));
    assert.deepEqual(stay.acks, ['cleared']);
    assert.ok(stay.fixes.length >= 5 * 12 - 2);
    assert.ok(['returning', 'patrol', 'pause'].includes(unit.mode));
    assert.equal(unit.job, undefined);
  });

  test('over land a 4x4 makes good its speed divided by the detour factor', () => {
    const sim = simulation(32, noLaunches);
    const unit = sim.units.get('U04')!; // OPALE 04, 4x4
    const target = alongRoute(sim, unit, 8_000);
    sim.receiveJsonLine('U04', jsonAssignment('U04', 'A-404', target));
    const trip = follow(sim, unit, 3_600, (acks) => acks.includes('on-scene'));
    assert.deepEqual(trip.acks, ['on-scene']);
    const expected = (50 * KMH_MS) / 1.4;
    // Positions every 5 s along a winding route: the chord is a little shorter than the path.
    const moving = speeds(trip.fixes).slice(1, -1);
    assert.ok(moving.length > 20);
    for (const speed of moving) assert.ok(speed <= expected * 1.01 && speed > expected * 0.85, `${(speed / KMH_MS).toFixed(1)} km/h`);
  });

  test("CoT unit: a t-x-d tasking gets y-a answers under the unit's uid; a cancelled tasking stops the job", () => {
    const sim = simulation(33, noLaunches);
    const unit = sim.units.get('U03')!; // OPALE 03, 4x4, CoT ANDROID-U03
    assert.equal(unit.device.protocol, 'cot');
    const target = alongRoute(sim, unit, 3_000);
    const { messages } = sim.receiveCotEvent('U03', cotTasking('ANDROID-U03', 'A-303', target));
    assert.equal(messages.length, 1);
    const ack = messages[0]!;
    assert.equal(ack.endpoint, 'cot:U03');
    assert.equal(ack.kind, 'y-a');
    assert.equal(xmlAttrs(ack.text, 'event')!.uid, 'ANDROID-U03');
    assert.equal(xmlAttrs(ack.text, 'event')!.type, 'y-a');
    assert.deepEqual(xmlAttrs(ack.text, 'vigie'), { status: 'en-route', assignment: 'A-303' });

    const trip = follow(sim, unit, 3_600, (acks) => acks.includes('on-scene'));
    assert.deepEqual(trip.acks, ['on-scene']);
    assert.ok(distanceMeters(unit.position, target) <= 150);
    const cleared = follow(sim, unit, 13 * 60, (acks) => acks.includes('cleared'));
    assert.deepEqual(cleared.acks, ['cleared']);

    // A new job, cancelled on the way: no more answers, back to patrol.
    sim.receiveCotEvent('U03', cotTasking('ANDROID-U03', 'A-304', alongRoute(sim, unit, 6_000)));
    run(sim, 30);
    assert.equal(unit.mode, 'en-route');
    const cancel = sim.receiveCotEvent('U03', cotTasking('ANDROID-U03', 'A-304', [0, 0], 'cancelled'));
    assert.equal(cancel.tasking.type, 'cancel');
    assert.equal(cancel.messages.length, 0);
    assert.equal(unit.job, undefined);
    assert.equal(unit.mode, 'returning');
    assert.deepEqual(follow(sim, unit, 600, () => false).acks, []);

    // The same tasking relayed by a TAK server (XML declaration, <marti><dest>) is understood too.
    const relayed = sim.receiveCotEvent('U03', takTasking('ANDROID-U03', 'A-305', alongRoute(sim, unit, 2_000)));
    assert.equal(relayed.tasking.type, 'assign');
    assert.equal(xmlAttrs(relayed.messages[0]!.text, 'vigie')!.status, 'en-route');
    // And the console clearing it ends the job.
    assert.equal(sim.receiveCotEvent('U03', cotTasking('ANDROID-U03', 'A-305', [0, 0], 'cleared')).tasking.type, 'cancel');
    assert.equal(unit.job, undefined);
  });

  test('a boat goes to a point at sea over water and reports on scene', () => {
    const sim = simulation(34, noLaunches);
    const boat = sim.units.get('U22')!; // VEDETTE 22, JSON over WebSocket in the scenario
    assert.equal(boat.profile.medium, 'water');
    const target: LonLat = [1.52, 50.78]; // off Wimereux
    assert.ok(!sim.geography.land.isLand(target));
    sim.receiveJsonLine('U22', jsonAssignment('U22', 'A-22', target));
    const trip = follow(sim, boat, 3_600, (acks) => acks.includes('on-scene'));
    assert.deepEqual(trip.acks, ['on-scene']);
    assert.ok(distanceMeters(boat.position, target) <= 150);
    for (const fix of trip.fixes) assert.ok(!sim.geography.land.isLand(fix.position), `boat ashore at ${fix.position.join(',')}`);
    const moving = speeds(trip.fixes).slice(1, -1);
    for (const speed of moving) assert.ok(speed <= 25 * KNOT_MS * 1.01 && speed > 25 * KNOT_MS * 0.85, `${(speed / KNOT_MS).toFixed(1)} kn`);
  });

  test('a repeated assignment is acknowledged again without restarting; the console can cancel by status', () => {
    const sim = simulation(35, noLaunches);
    const unit = sim.units.get('U01')!;
    const target = alongRoute(sim, unit, 5_000);
    sim.receiveJsonLine('U01', jsonAssignment('U01', 'A-1', target));
    run(sim, 60);
    const progress = unit.progress;
    const again = sim.receiveJsonLine('U01', jsonAssignment('U01', 'A-1', target));
    assert.equal(jsonOf(again.messages[0]!).status, 'en-route');
    assert.equal(unit.progress, progress);
    const status = sim.receiveJsonLine(
      'U01',
      JSON.stringify({ v: 1, type: 'status', unit: 'U01', assignment: 'A-1', status: 'cleared', time: '2026-01-15T21:01:00Z' }),
    );
    assert.equal(status.tasking.type, 'cancel');
    assert.equal(unit.job, undefined);
  });

  test('what the core sends is parsed defensively: nothing malformed throws or moves a unit', () => {
    const sim = simulation(36, noLaunches);
    const inputs: [string, string][] = [
      ['U01', 'not json'],
      ['U01', '{"v":1,"type":"assignment"}'],
      ['U01', '{"v":2,"type":"assignment","assignment":"A","unit":"U01","incident":"I","lat":50.9,"lon":1.7,"time":"x"}'],
      ['U01', jsonAssignment('U02', 'A-9', [1.7, 50.9])],
      ['U01', JSON.stringify({ v: 1, type: 'assignment', assignment: 'A 1', unit: 'U01', incident: 'I', lat: 50.9, lon: 1.7, time: 'x' })],
      ['U01', JSON.stringify({ v: 1, type: 'assignment', assignment: 'A1', unit: 'U01', incident: 'I', lat: 150, lon: 1.7, time: 'x' })],
      ['U01', `{"v":1,"type":"assignment","pad":"${'x'.repeat(70_000)}"}`],
      ['U01', '[]'],
      ['U01', 'null'],
      ['U03', '<event type="t-x-d"><point lat="50.9" lon="1.7"/></event>'],
      ['U03', '<event type="a-f-G"><point lat="50.9" lon="1.7"/><detail><vigie assignment="A1"/></detail></event>'],
      ['U03', '<event type="t-x-d"><point lat="abc" lon="1.7"/><detail><vigie assignment="A1"/></detail></event>'],
      ['U03', '<event type="t-x-d"><point lat="50.9" lon="1.7"/><detail><vigie assignment="A&lt;1"/></detail></event>'],
      ['U03', '<!DOCTYPE x [<!ENTITY e "boom">]><event type="t-x-d"><point lat="50.9" lon="1.7"/><detail><vigie assignment="A1"/></detail></event>'],
      ['U03', cotTasking('ANDROID-U06', 'A-6', [1.7, 50.9])],
      ['U03', takTasking('ANDROID-U06', 'A-7', [1.7, 50.9])],
      ['U03', '<event'],
      ['U99', jsonAssignment('U99', 'A-99', [1.7, 50.9])],
    ];
    for (const [unit, input] of inputs) {
      const result = unit === 'U03' ? sim.receiveCotEvent(unit, input) : sim.receiveJsonLine(unit, input);
      assert.equal(result.tasking.type, 'ignored', input.slice(0, 80));
      assert.deepEqual(result.messages, []);
    }
    assert.equal(sim.inbound.ignored, inputs.length);
    assert.ok(sim.units.list.every((unit) => unit.job === undefined));
    // The core's refusals are recognised as such.
    assert.equal(sim.receiveJsonLine('U01', '{"v":1,"type":"rejected","reason":"bad-schema","detail":"lat: too big"}').tasking.type, 'rejected');
  });
});

describe('patrols stay where they belong', () => {
  test('over an hour, with jobs across the shore line, land units never end up at sea and boats never on land', () => {
    const sim = simulation(37, (scenario) => {
      scenario.launches.perHour = 6;
      scenario.traffic.lanes.forEach((lane) => (lane.vessels = 0));
    });
    const { land } = sim.geography;
    let samples = 0;
    const sample = () => {
      for (const unit of sim.units.list) {
        const ashore = land.isLand(unit.position);
        assert.equal(ashore, unit.profile.medium === 'land', `${unit.id} (${unit.type}, ${unit.mode}) at ${unit.position.join(',')}`);
        samples += 1;
      }
    };
    sample();
    // Send every other unit across the shore: land units to points at sea, boats to points ashore.
    sim.units.list.forEach((unit, index) => {
      if (index % 2 !== 0) return;
      const route = sim.geography.route(unit.profile.medium === 'land' ? 'water' : 'land');
      const across = route.project(unit.position).point;
      const answer =
        unit.device.protocol === 'json'
          ? sim.receiveJsonLine(unit.id, jsonAssignment(unit.id, `X-${unit.id}`, across))
          : sim.receiveCotEvent(unit.id, cotTasking(unit.device.uid, `X-${unit.id}`, across));
      assert.equal(answer.tasking.type, 'assign');
    });
    const acks: SimMessage[] = [];
    for (let t = 0; t < 3_600; t += 10) {
      acks.push(...sim.step(10_000).filter((message) => message.kind === 'unit-ack' || message.kind === 'y-a'));
      sample();
    }
    assert.ok(samples > 8_000);
    // Those that could get there reported on scene at the water's edge (as near as their medium lets them).
    const onScene = acks.filter((message) => (message.kind === 'unit-ack' ? jsonOf(message).status : xmlAttrs(message.text, 'vigie')!.status) === 'on-scene');
    assert.ok(onScene.length >= 8, `${onScene.length} on scene`);
  });
});
