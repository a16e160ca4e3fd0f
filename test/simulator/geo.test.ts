import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Polyline, angleBetween, bearingDegrees, destinationPoint, distanceMeters, pointInPolygon } from '../../electron/simulator/model/geo';
import type { LonLat } from '../../electron/simulator/model/geo';
import { loadGeography } from '../../electron/simulator/loadGeography';
import { nightScenario } from './helpers';

const DOVER: LonLat = [1.3134, 51.1279];
const CAP_GRIS_NEZ: LonLat = [1.5839, 50.8718];

describe('geometry on a sphere', () => {
  test('distance and bearing between Dover and Cap Gris-Nez (the narrowest crossing, ~33 km)', () => {
    const distance = distanceMeters(DOVER, CAP_GRIS_NEZ);
    assert.ok(distance > 33_000 && distance < 34_500, `${distance}`);
    const bearing = bearingDegrees(DOVER, CAP_GRIS_NEZ);
    assert.ok(bearing > 140 && bearing < 150, `${bearing}`);
    assert.equal(distanceMeters(DOVER, DOVER), 0);
  });

  test('destination point is the inverse of distance + bearing', () => {
    const there = destinationPoint(DOVER, bearingDegrees(DOVER, CAP_GRIS_NEZ), distanceMeters(DOVER, CAP_GRIS_NEZ));
    assert.ok(distanceMeters(there, CAP_GRIS_NEZ) < 0.5);
    const north = destinationPoint([1.5, 50.9], 0, 1852 * 60);
    assert.ok(Math.abs(north[1] - 51.9) < 0.01 && Math.abs(north[0] - 1.5) < 1e-9);
  });

  test('point in polygon, with a hole', () => {
    const outer: LonLat[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
    ];
    const hole: LonLat[] = [
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3],
      [1, 1],
    ];
    assert.equal(pointInPolygon([0.5, 0.5], [outer, hole]), true);
    assert.equal(pointInPolygon([2, 2], [outer, hole]), false);
    assert.equal(pointInPolygon([5, 2], [outer, hole]), false);
  });

  test('a polyline is walked by distance, projected onto and sliced both ways', () => {
    const line = new Polyline([
      [1.5, 50.9],
      [1.6, 50.9],
      [1.6, 51.0],
    ]);
    const first = distanceMeters([1.5, 50.9], [1.6, 50.9]);
    assert.ok(Math.abs(line.length - first - distanceMeters([1.6, 50.9], [1.6, 51.0])) < 1e-6);
    const middle = line.at(first / 2);
    assert.ok(Math.abs(middle.bearing - 90) < 0.1);
    assert.ok(angleBetween(line.at(first + 100).bearing, 0) < 0.1);
    const projected = line.project(destinationPoint(middle.point, 0, 250));
    assert.ok(Math.abs(projected.s - first / 2) < 5 && Math.abs(projected.distance - 250) < 2);
    const back = line.slice(line.length, 0);
    assert.deepEqual(back[0], line.at(line.length).point);
    assert.deepEqual(back[back.length - 1], line.at(0).point);
  });
});

describe('the coast', () => {
  const geography = loadGeography(nightScenario.coast);

  test('France, England and the strait between them', () => {
    assert.equal(geography.land.countryAt([2.0, 50.8]), 'FR');
    assert.equal(geography.land.countryAt([1.0, 51.2]), 'GB');
    assert.equal(geography.land.countryAt([1.45, 51.0]), null);
    assert.equal(geography.sectors.length, 27);
  });

  test('the land route is on land and the sea route on water, from Bray-Dunes to Berck', () => {
    for (const [route, medium] of [
      [geography.landRoute, 'land'],
      [geography.seaRoute, 'water'],
    ] as const) {
      for (let i = 0; i < route.points.length - 1; i++)
        assert.ok(geography.land.segmentIn(medium, route.points[i]!, route.points[i + 1]!, 10), `${medium} route segment ${i}`);
      assert.ok(route.length > 120_000, `${medium} route ${route.length} m`);
      assert.ok(distanceMeters(route.points[0]!, [2.54, 51.09]) < 5_000);
      assert.ok(distanceMeters(route.points[route.points.length - 1]!, [1.58, 50.38]) < 5_000);
    }
  });

  test('plans keep to one medium, going round the harbours', () => {
    // Calais to Sangatte by land; Boulogne to Calais by sea; a land unit sent to a point at sea stops on the beach.
    const byLand = geography.plan('land', geography.landRoute.project([1.87, 50.95]).point, geography.landRoute.project([1.75, 50.945]).point);
    const bySea = geography.plan('water', geography.seaRoute.project([1.56, 50.73]).point, geography.seaRoute.project([1.85, 50.99]).point);
    for (const [plan, medium] of [
      [byLand, 'land'],
      [bySea, 'water'],
    ] as const) {
      assert.equal(plan.reachesTarget, true);
      for (let i = 0; i < plan.path.points.length - 1; i++) assert.ok(geography.land.segmentIn(medium, plan.path.points[i]!, plan.path.points[i + 1]!, 10));
    }
    const toSea = geography.plan('land', geography.landRoute.project([1.7, 50.93]).point, [1.65, 50.96]);
    assert.equal(toSea.reachesTarget, false);
    assert.ok(geography.land.isLand(toSea.target));
    assert.ok(geography.land.nearestCoast(toSea.target).distance < 300);
  });
});
