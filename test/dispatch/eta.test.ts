import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import type { UnitView } from '../../shared/contract';
import type { UnitType } from '../../shared/domain';
import { distanceMeters } from '../../shared/sphere';
import type { EtaEstimate } from '../../electron/core/dispatch/eta';
import { EtaModel, UNIT_SPEEDS_KMH } from '../../electron/core/dispatch/eta';
import { landFile } from '../../electron/core/paths';
import { pointInRing } from '../../shared/geometry';
import { defaultSiteFile } from '../../electron/core/paths';

const land = JSON.parse(fs.readFileSync(landFile, 'utf8')) as {
  features: { properties: { country: string }; geometry: { type: string; coordinates: [number, number][][] } }[];
};
const model = new EtaModel(land);

type Point = { lat: number; lon: number };
// Places checked against land.geojson (coarse: the coastline is a few hundred metres off in places).
const CALAIS_TOWN: Point = { lat: 50.955, lon: 1.86 }; // on land, 1.7 km from the water
const CALAIS_PORT: Point = { lat: 50.968, lon: 1.862 }; // inside the coarse coastline (harbour)
const BOULOGNE_PORT: Point = { lat: 50.727, lon: 1.595 }; // water, in a notch of the coast
const SANGATTE_BEACH: Point = { lat: 50.947, lon: 1.753 }; // 137 m seaward of the coarse coastline
const SANGATTE_VILLAGE: Point = { lat: 50.944, lon: 1.753 }; // on land, 160 m from the water
const WISSANT_BEACH: Point = { lat: 50.885, lon: 1.66 }; // on land, 270 m from the water
const OFF_SANGATTE: Point = { lat: 51.0, lon: 1.75 }; // at sea, 5.5 km out
const OFF_WISSANT: Point = { lat: 50.9, lon: 1.62 }; // at sea, 2.8 km out, beyond Cap Blanc-Nez from Calais
const OFF_CALAIS: Point = { lat: 51.0, lon: 1.85 }; // at sea, 3 km out
const BOAT_1KM_OFF_WISSANT: Point = { lat: 50.893, lon: 1.648 }; // at sea, ~960 m from the shore
const INLAND_3KM: Point = { lat: 50.925, lon: 1.78 }; // on land, ~2.9 km from the water (behind Sangatte)
const DOVER: Point = { lat: 51.125, lon: 1.31 };

function unit(id: string, type: UnitType, at: Point | null): UnitView {
  return {
    id,
    callsign: id,
    type,
    crew: 2,
    status: 'available',
    assignment: null,
    lat: at?.lat ?? null,
    lon: at?.lon ?? null,
    heading: null,
    speed: null,
    fixTime: null,
  };
}

function estimate(type: UnitType, from: Point, to: Point): EtaEstimate {
  return model.estimate({ type, ...from }, to);
}

function straight(a: Point, b: Point): number {
  return distanceMeters(a.lat, a.lon, b.lat, b.lon);
}

function close(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

describe('ETA model', () => {
  test('documented default speeds', () => {
    assert.deepEqual(
      { ...UNIT_SPEEDS_KMH, boat: Math.round(UNIT_SPEEDS_KMH.boat * 10) / 10 },
      { foot: 5, 'dog-team': 6, quad: 35, '4x4': 50, boat: 46.3, 'drone-team': 40 },
    );
    const slow = new EtaModel(land, { speedsKmh: { '4x4': 25 } });
    close(slow.estimate({ type: '4x4', ...CALAIS_TOWN }, SANGATTE_VILLAGE).seconds, 2 * estimate('4x4', CALAIS_TOWN, SANGATTE_VILLAGE).seconds);
  });

  test('the water grid is the land polygons sampled at cell centres, at 300–500 m cells', () => {
    const { grid } = model;
    const rings = land.features.map((f) => f.geometry.coordinates);
    let checked = 0;
    for (let cell = 0; cell < grid.cols * grid.rows; cell += 37) {
      const { lat, lon } = grid.centre(cell);
      const inside = rings.some((polygon) => polygon.filter((ring) => pointInRing(lon, lat, ring)).length % 2 === 1);
      assert.equal(!grid.isWater(cell), inside, `cell ${cell} at ${lat}, ${lon}`);
      checked++;
    }
    assert.ok(checked > 3000);
    const a = grid.centre(grid.cellOf(50.9, 1.5));
    const east = grid.centre(grid.cellOf(50.9, 1.5) + 1);
    const north = grid.centre(grid.cellOf(50.9, 1.5) + grid.cols);
    for (const step of [straight(a, east), straight(a, north)]) assert.ok(step >= 300 && step <= 500, `${step} m`);
    assert.ok(grid.cols * grid.rows < 300_000);
  });

  test('a 4x4 in Calais to a beach at Sangatte: straight line × detour factor', () => {
    const onLand = estimate('4x4', CALAIS_TOWN, SANGATTE_VILLAGE);
    assert.equal(onLand.reachable, true);
    assert.equal(onLand.mode, 'land');
    close(onLand.meters, straight(CALAIS_TOWN, SANGATTE_VILLAGE) * 1.35);
    close(onLand.seconds, onLand.meters / (50 / 3.6));
    assert.equal(onLand.note, undefined);
    assert.deepEqual(onLand.destination, SANGATTE_VILLAGE);

    // The beach point itself lies 137 m seaward of the coarse coastline: still straight × detour, to the water's edge.
    const beach = estimate('4x4', CALAIS_TOWN, SANGATTE_BEACH);
    assert.equal(beach.reachable, true);
    assert.equal(beach.mode, 'to-shore');
    close(beach.meters, straight(CALAIS_TOWN, SANGATTE_BEACH) * 1.35);
    assert.deepEqual(beach.destination, SANGATTE_BEACH);
    assert.match(beach.note ?? '', /137 m off the mapped coast/);

    const tuned = new EtaModel(land, { detourFactorLand: 1.5 });
    close(tuned.estimate({ type: '4x4', ...CALAIS_TOWN }, SANGATTE_VILLAGE).meters, straight(CALAIS_TOWN, SANGATTE_VILLAGE) * 1.5);
  });

  test('ranking: a far 4x4 before a nearby foot patrol when it is faster, and the other way round', () => {
    const footNear = unit('FOOT', 'foot', { lat: 50.9, lon: 1.68 }); // 2.2 km from Wissant beach: 2.9 km at 5 km/h
    const far4x4 = unit('4X4', '4x4', CALAIS_TOWN); // 16 km away: 21.6 km at 50 km/h
    const ranked = model.rank([footNear, far4x4], WISSANT_BEACH);
    assert.deepEqual(
      ranked.map((r) => r.unit.id),
      ['4X4', 'FOOT'],
    );
    assert.ok(ranked[0]!.eta.seconds < ranked[1]!.eta.seconds);

    const footAtBeach = unit('FOOT', 'foot', { lat: 50.884, lon: 1.665 }); // 400 m away
    assert.deepEqual(
      model.rank([far4x4, footAtBeach], WISSANT_BEACH).map((r) => r.unit.id),
      ['FOOT', '4X4'],
    );
  });

  test('a boat goes straight when the line stays on water, from the open water nearest its harbour', () => {
    const eta = estimate('boat', CALAIS_PORT, OFF_SANGATTE);
    assert.equal(eta.reachable, true);
    assert.equal(eta.mode, 'sea');
    assert.equal(eta.route, undefined);
    assert.match(eta.note ?? '', /harbour/);
    const direct = straight(CALAIS_PORT, OFF_SANGATTE);
    assert.ok(eta.meters >= direct && eta.meters < direct + 1500, `${eta.meters} vs ${direct}`);
    close(eta.seconds, eta.meters / ((25 * 1.852) / 3.6));
  });

  test('a boat from Boulogne to off Calais goes round Cap Gris-Nez: longer than the straight line, under 1.6×', () => {
    assert.ok(model.shapes.crossesLand(BOULOGNE_PORT, OFF_CALAIS), 'the straight line crosses the Boulonnais');
    const eta = estimate('boat', BOULOGNE_PORT, OFF_CALAIS);
    assert.equal(eta.reachable, true);
    assert.equal(eta.mode, 'sea');
    const direct = straight(BOULOGNE_PORT, OFF_CALAIS);
    assert.ok(eta.meters > direct && eta.meters < 1.6 * direct, `${eta.meters} vs ${direct}`);
    const route = eta.route!;
    assert.deepEqual(route[0], BOULOGNE_PORT);
    assert.deepEqual(route[route.length - 1], OFF_CALAIS);
    // Around the cape (its tip is at ~1.578 E, 50.853 N), not across it; every leg on water.
    assert.ok(route.some((p) => p.lon < 1.585 && p.lat > 50.84 && p.lat < 50.88));
    for (let i = 1; i < route.length; i++) assert.equal(model.shapes.crossesLand(route[i - 1]!, route[i]!), false, `leg ${i}`);
    close(
      eta.meters,
      route.slice(1).reduce((sum, p, i) => sum + straight(route[i]!, p), 0),
    );
  });

  test('a boat from Calais harbour to off Wissant rounds Cap Blanc-Nez closely', () => {
    const start = model.grid.centre(model.grid.nearestSeaCell(CALAIS_PORT.lat, CALAIS_PORT.lon));
    assert.ok(model.shapes.crossesLand(start, OFF_WISSANT), 'the straight line clips Cap Blanc-Nez');
    const eta = estimate('boat', CALAIS_PORT, OFF_WISSANT);
    assert.ok(eta.route && eta.route.length > 2);
    const direct = straight(CALAIS_PORT, OFF_WISSANT);
    assert.ok(eta.meters > direct && eta.meters < 1.1 * direct, `${eta.meters} vs ${direct}`);
  });

  test('a boat reaches a target just ashore from the water, not one 3 km inland', () => {
    const inland = estimate('boat', CALAIS_PORT, INLAND_3KM);
    assert.equal(inland.reachable, false);
    assert.equal(inland.meters, Infinity);
    assert.equal(inland.seconds, Infinity);
    assert.equal(inland.destination, null);
    assert.match(inland.note ?? '', /2\.9 km inland/);

    const beach = estimate('boat', BOULOGNE_PORT, WISSANT_BEACH);
    assert.equal(beach.reachable, true);
    assert.equal(model.shapes.countryAt(beach.destination!.lat, beach.destination!.lon), null, 'stops on the water');
    assert.ok(straight(beach.destination!, WISSANT_BEACH) < 600);
    assert.match(beach.note ?? '', /ashore/);

    // The few-metre sliver between the FR and BE polygons at the map's east edge is not a shore.
    const nearSliver = estimate('boat', OFF_CALAIS, { lat: 50.7605, lon: 2.99 });
    assert.equal(nearSliver.reachable, false);
    assert.match(nearSliver.note ?? '', /\d\d\.\d km inland/);

    const strict = new EtaModel(land, { shoreRadiusMeters: 100 });
    assert.equal(strict.estimate({ type: 'boat', ...BOULOGNE_PORT }, WISSANT_BEACH).reachable, false);
  });

  test('a land unit sent to a boat at sea gets to the shore', () => {
    const far = estimate('quad', CALAIS_TOWN, BOAT_1KM_OFF_WISSANT);
    assert.equal(far.reachable, true);
    assert.equal(far.mode, 'to-shore');
    const shore = far.destination!;
    assert.ok(model.shapes.nearestCoast(shore.lat, shore.lon)!.meters < 1, 'on the coastline');
    const offshore = straight(shore, BOAT_1KM_OFF_WISSANT);
    assert.ok(offshore > 800 && offshore < 1200, `${offshore} m`);
    close(far.meters, straight(CALAIS_TOWN, shore) * 1.35);
    assert.match(far.note ?? '', /at sea: ETA to the nearest shore.*only a boat/);

    // A launch 300 m out: within the shore radius, the unit is sent to the water's edge right there.
    const launch = { lat: 50.9546, lon: 1.78 };
    assert.equal(model.shapes.countryAt(launch.lat, launch.lon), null);
    const near = estimate('foot', SANGATTE_VILLAGE, launch);
    assert.equal(near.mode, 'to-shore');
    assert.deepEqual(near.destination, launch);
    close(near.meters, straight(SANGATTE_VILLAGE, launch) * 1.35);
  });

  test('a land unit whose fix is a little at sea counts as ashore', () => {
    const eta = estimate('dog-team', SANGATTE_BEACH, SANGATTE_VILLAGE);
    assert.equal(eta.mode, 'land');
    assert.equal(eta.reachable, true);
    assert.ok(eta.meters < straight(SANGATTE_BEACH, SANGATTE_VILLAGE) * 1.35);
    assert.equal(eta.note, undefined);
    const adrift = estimate('foot', OFF_SANGATTE, SANGATTE_VILLAGE);
    assert.equal(adrift.reachable, true);
    assert.match(adrift.note ?? '', /5\.5 km off the coast/);
  });

  test('a French land unit cannot be sent to Dover; a boat can', () => {
    for (const type of ['foot', 'dog-team', 'quad', '4x4', 'drone-team'] as const) {
      const eta = estimate(type, CALAIS_TOWN, DOVER);
      assert.equal(eta.reachable, false, type);
      assert.match(eta.note ?? '', /England/);
    }
    assert.equal(estimate('boat', CALAIS_PORT, DOVER).reachable, true);
    // Belgium is the same landmass as France.
    assert.equal(estimate('4x4', CALAIS_TOWN, { lat: 51.05, lon: 2.7 }).mode, 'land');
    assert.equal(model.shapes.countryAt(51.05, 2.7), 'BE');
  });

  test('rank: units without a position left out, unreachable last with a reason, ties by id', () => {
    const units = [
      unit('U9', '4x4', CALAIS_TOWN),
      unit('U2', 'foot', null),
      unit('U7', 'boat', { lat: 51.1, lon: 1.4 }), // mid-Channel, to a target 3 km inland
      unit('U5', '4x4', CALAIS_TOWN),
      unit('U3', 'quad', { lat: 50.93, lon: 1.75 }),
      { ...unit('U4', 'foot', null), lat: 50.9 }, // half a position
      { ...unit('U1', 'dog-team', { lat: 50.92, lon: 1.76 }), status: 'assigned' as const },
    ];
    const ranked = model.rank(units, INLAND_3KM);
    assert.deepEqual(
      ranked.map((r) => r.unit.id),
      ['U3', 'U5', 'U9', 'U1', 'U7'],
    );
    assert.equal(ranked[1]!.eta.seconds, ranked[2]!.eta.seconds);
    assert.equal(ranked[4]!.eta.reachable, false);
    assert.ok(ranked[4]!.eta.note);
    assert.deepEqual(
      model.rank(units, INLAND_3KM, { include: (u) => u.status === 'available' }).map((r) => r.unit.id),
      ['U3', 'U5', 'U9', 'U7'],
    );
    assert.deepEqual(model.rank([], INLAND_3KM), []);
  });

  test('deterministic: the same inputs give the same output, whatever came before', () => {
    const site = JSON.parse(fs.readFileSync(defaultSiteFile, 'utf8')) as {
      units: { id: string; type: UnitType; home: [number, number] }[];
    };
    const units = site.units.map((u) => unit(u.id, u.type, { lat: u.home[1], lon: u.home[0] })).reverse();
    const targets = [OFF_WISSANT, SANGATTE_BEACH, OFF_CALAIS, WISSANT_BEACH, DOVER];
    const first = targets.map((t) => model.rank(units, t));
    const again = new EtaModel(land);
    const second = [...targets]
      .reverse()
      .map((t) => again.rank(units, { ...t }))
      .reverse();
    assert.deepEqual(second, first);
    assert.deepEqual(
      targets.map((t) => model.rank(units, t)),
      first,
    );
    assert.equal(first[0]!.length, 24);
    // Off Wissant, 2.8 km out: the boats go there, the land units to the shore.
    for (const { unit: u, eta } of first[0]!) assert.equal(eta.mode, u.type === 'boat' ? 'sea' : 'to-shore', u.id);
  });

  test('bad input is refused', () => {
    assert.throws(
      () => new EtaModel({ type: 'FeatureCollection', features: [{ properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } }] }),
      /land polygons/,
    );
    assert.throws(() => new EtaModel(land, { detourFactorLand: 0.5 }), RangeError);
    assert.throws(() => estimate('foot', { lat: Number.NaN, lon: 1.8 }, SANGATTE_VILLAGE), RangeError);
  });
});
