import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import * as corePaths from '../../electron/core/paths';
import * as simulatorAssets from '../../electron/simulator/assets';
import { ScenarioFileError, benchScenarioFile, defaultScenarioFile, parseScenario, readScenario, scenariosDir } from '../../electron/simulator/scenario';
import { Simulation } from '../../electron/simulator/simulation';
import { tempDataDir } from '../helpers';
import { site } from './helpers';

// Deliberately malformed variants of the shipped file: untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

const shipped = JSON.parse(fs.readFileSync(defaultScenarioFile, 'utf8')) as Record<string, unknown>;

function variant(mutate: (scenario: Untyped) => void): string {
  const copy = structuredClone(shipped) as Untyped;
  mutate(copy);
  return JSON.stringify(copy, null, 2);
}

describe('scenario files', () => {
  test('every shipped scenario is valid and fits the demo site', () => {
    const files = fs.readdirSync(scenariosDir).filter((file) => file.endsWith('.json'));
    assert.ok(files.includes(path.basename(defaultScenarioFile)) && files.includes(path.basename(benchScenarioFile)));
    for (const file of files) {
      const scenario = readScenario(path.join(scenariosDir, file));
      assert.doesNotThrow(() => new Simulation({ site, scenario, seed: 1 }), file);
    }
  });

  test('a bad field is named', () => {
    const cases: [(s: Untyped) => void, RegExp][] = [
      [(s) => (s.traffic.lanes[1].halfWidthMeters = -5), /traffic\.lanes\.1\.halfWidthMeters/],
      [(s) => (s.launches.boatSpeedKnots = [8, 4]), /launches\.boatSpeedKnots: a range is \[min, max\]/],
      [(s) => (s.units.types.quad = { speedKmh: 35, speedKnots: 20, patrolKm: 3 }), /units\.types\.quad: give exactly one of speedKmh or speedKnots/],
      [(s) => delete s.launches.destinations, /launches\.destinations/],
      [(s) => (s.drones.speedKnts = 30), /drones.*speedKnts/],
      [(s) => (s.version = 2), /version/],
    ];
    for (const [mutate, expected] of cases) {
      assert.throws(
        () => parseScenario(variant(mutate), 'night.json'),
        (error: unknown) => error instanceof ScenarioFileError && error.message.startsWith('night.json: ') && expected.test(error.message),
        String(expected),
      );
    }
  });

  test('a syntax error gives the line and column', () => {
    const text = variant(() => {}).replace('"perHour": 4,', '"perHour": 4,,');
    assert.throws(() => parseScenario(text, 'night.json'), /night\.json: line \d+, column \d+/);
  });

  test('a missing file says which', () => {
    assert.throws(
      () => readScenario(path.join(tempDataDir(), 'nope.json')),
      (error: unknown) => error instanceof ScenarioFileError && /nope\.json/.test(error.message),
    );
  });

  test('sensors the site does not have, and lanes over land, are refused with the field named', () => {
    const unknownRadar = parseScenario(
      variant((s) => (s.radars.overrides = [{ sensor: 'RAD-NOWHERE', transport: 'tcp' }])),
      'x.json',
    );
    assert.throws(() => new Simulation({ site, scenario: unknownRadar, seed: 1 }), /radars\.overrides\.0\.sensor: RAD-NOWHERE is not a radar/);
    const cameraAsDrone = parseScenario(
      variant((s) => (s.drones.patrols[0].sensor = 'CAM-BERCK')),
      'x.json',
    );
    assert.throws(() => new Simulation({ site, scenario: cameraAsDrone, seed: 1 }), /drones\.patrols\.0\.sensor: CAM-BERCK is not a drone/);
    // A lane drawn straight through Calais.
    const overLand = parseScenario(
      variant(
        (s) =>
          (s.traffic.lanes[0].path = [
            [1.7, 51.05],
            [1.95, 50.9],
          ]),
      ),
      'x.json',
    );
    assert.throws(
      () => new Simulation({ site, scenario: overLand, seed: 1 }),
      (error: unknown) => error instanceof ScenarioFileError && /traffic\.lanes\.0\.path \(SW\): crosses land near/.test(error.message),
    );
  });
});

describe('shipped files', () => {
  test('the simulator finds the same assets as the core, without importing it', () => {
    assert.equal(simulatorAssets.assetsDir, corePaths.assetsDir);
    assert.equal(simulatorAssets.sectorsFile, corePaths.sectorsFile);
    assert.equal(simulatorAssets.landFile, corePaths.landFile);
    assert.equal(scenariosDir, corePaths.scenariosDir);
    for (const file of [simulatorAssets.sectorsFile, simulatorAssets.landFile, defaultScenarioFile]) assert.ok(fs.existsSync(file), file);
  });
});
