// The console bench's load at any size (issue 17): N radar tracks moving at
// 1 Hz. An ARPA radar numbers at most 999 targets (model/radar.ts), so past
// the 2,000 of bench-2000-tracks.json the ships go to the bench site's extra
// offshore radars (assets/sites/bench-regional.json, RAD-BENCHnn: 10 km
// range, none overlapping another reporting radar), one straight lane
// through each, up to SHIPS_PER_BENCH_RADAR ships a radar. Below 2,000 the
// four demo lanes are scaled down.
import path from 'node:path';
import type { Site } from '../../shared/site';
import { assetsDir } from './assets';
import type { Scenario } from './scenario';

export const benchRegionalSiteFile = path.join(assetsDir, 'sites', 'bench-regional.json');
/** The shipped profile's size: its four lanes hold this many ships. */
export const BASE_TRACKS = 2_000;
/** Ships per extra radar: under the 999 target numbers, with room for ships replaced at a lane's end (lost, then a new number). */
export const SHIPS_PER_BENCH_RADAR = 900;
/** Half the length of a bench lane, in degrees of longitude (≈ 7 km at 50.5° N, inside the radar's 10 km with the lane's width). */
const HALF_LANE_DEGREES = 0.1;

/** The radars a bench lane can be given: the site's RAD-BENCHnn, in file order. */
export function benchRadars(site: Site) {
  return site.sensors.filter((sensor) => sensor.kind === 'radar' && sensor.id.startsWith('RAD-BENCH'));
}

/** The largest load the site can carry. */
export function maxBenchTracks(site: Site): number {
  return BASE_TRACKS + benchRadars(site).length * SHIPS_PER_BENCH_RADAR;
}

/**
 * The 2,000-track scenario resized to `tracks` ships in lanes (each seen by
 * exactly one radar). Launches, drones and patrols are kept as they are.
 */
export function benchScenarioFor(base: Scenario, site: Site, tracks: number): Scenario {
  if (!Number.isInteger(tracks) || tracks < 1) throw new RangeError(`the bench needs a whole number of tracks ≥ 1, got ${tracks}`);
  const max = maxBenchTracks(site);
  if (tracks > max)
    throw new RangeError(`site "${site.name}" carries at most ${max} bench tracks (${SHIPS_PER_BENCH_RADAR} per RAD-BENCH radar), asked for ${tracks}`);
  const scenario = structuredClone(base);
  const baseShips = base.traffic.lanes.reduce((sum, lane) => sum + lane.vessels, 0);
  scenario.name = `Benchmark — ${tracks.toLocaleString('en')} vessel tracks at 1 Hz`;
  if (tracks <= baseShips) {
    // Scaled down lane by lane; the last lane takes the rounding.
    let left = tracks;
    scenario.traffic.lanes.forEach((lane, index) => {
      lane.vessels = index === scenario.traffic.lanes.length - 1 ? left : Math.min(left, Math.round((lane.vessels * tracks) / baseShips));
      left -= lane.vessels;
    });
    return scenario;
  }
  const extra = tracks - baseShips;
  const radars = benchRadars(site).slice(0, Math.ceil(extra / SHIPS_PER_BENCH_RADAR));
  radars.forEach((radar, index) => {
    const [lon, lat] = radar.position;
    // Spread evenly; alternate directions, as a traffic scheme does.
    const vessels = Math.floor(extra / radars.length) + (index < extra % radars.length ? 1 : 0);
    const ends: [number, number][] = [
      [lon - HALF_LANE_DEGREES, lat],
      [lon + HALF_LANE_DEGREES, lat],
    ];
    scenario.traffic.lanes.push({
      id: `BENCH${String(index + 1).padStart(2, '0')}`,
      name: `Bench lane through ${radar.id}`,
      path: index % 2 === 0 ? ends : ends.reverse(),
      halfWidthMeters: 1500,
      vessels,
      speedKnots: [10, 20],
    });
  });
  return scenario;
}
