import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSite } from '../../electron/core/site/siteConfig';
import { BASE_TRACKS, benchRegionalSiteFile, benchScenarioFor, maxBenchTracks } from '../../electron/simulator/benchProfile';
import { Simulation } from '../../electron/simulator/simulation';
import { benchScenario, parseNmea, run } from './helpers';

const regional = readSite(benchRegionalSiteFile);

/** Ships reported per radar endpoint over a few seconds, by ship name. */
function reportsByShip(sim: Simulation, seconds: number): Map<string, Set<string>> {
  const reports = new Map<string, Set<string>>();
  for (const message of run(sim, seconds)) {
    if (message.protocol !== 'nmea') continue;
    const s = parseNmea(message.text);
    const name = s.type === 'TTM' ? s.fields[10]! : s.fields[5]!;
    if (!name.startsWith('V')) continue;
    const radars = reports.get(name) ?? new Set<string>();
    radars.add(message.endpoint);
    reports.set(name, radars);
  }
  return reports;
}

describe('the bench profile at N tracks', () => {
  test('10,000 ships on the regional site, each reported by exactly one radar, on the water, no radar saturated', () => {
    const scenario = benchScenarioFor(benchScenario, regional, 10_000);
    const sim = new Simulation({ site: regional, scenario, seed: 3 });
    assert.equal(sim.traffic.laneTargets().length, 10_000);
    run(sim, 2);
    const reports = reportsByShip(sim, 3);
    assert.ok(reports.size >= 10_000, `${reports.size} ships reported`);
    assert.ok(
      [...reports.values()].every((radars) => radars.size === 1),
      'one radar per ship',
    );
    for (const [radar, count] of Object.entries(sim.radars.tracked())) assert.ok(count <= 999, `${radar} holds ${count} targets`);
    assert.ok(Object.values(sim.radars.saturated()).every((n) => n === 0));
    for (const ship of sim.traffic.laneTargets()) assert.ok(!sim.geography.land.isLand(ship.position));
  });

  test('the shipped 2,000 is the base; smaller loads scale its lanes; too many is refused', () => {
    assert.equal(
      BASE_TRACKS,
      benchScenario.traffic.lanes.reduce((sum, lane) => sum + lane.vessels, 0),
    );
    const small = benchScenarioFor(benchScenario, regional, 500);
    assert.equal(small.traffic.lanes.length, benchScenario.traffic.lanes.length);
    assert.equal(
      small.traffic.lanes.reduce((sum, lane) => sum + lane.vessels, 0),
      500,
    );
    assert.deepEqual(benchScenarioFor(benchScenario, regional, 2_000).traffic.lanes, benchScenario.traffic.lanes);
    assert.ok(maxBenchTracks(regional) >= 10_000);
    assert.throws(() => benchScenarioFor(benchScenario, regional, maxBenchTracks(regional) + 1), /at most/);
  });
});
