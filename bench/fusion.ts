// Fusion cost: what one radar update costs the fusion engine
// (electron/core/fusion) with 2,000 radar tracks and 2,000 AIS ships in the
// strait — every ship on AIS, every track a ship, moving, with radar and GPS
// noise — measured per update after the associations have formed.
import { FusionEngine } from '../electron/core/fusion/fusionEngine';
import { destinationPoint } from '../shared/sphere';

export interface FusionBenchResult {
  radarTracks: number;
  aisShips: number;
  /** Radar updates timed (one per track per simulated second). */
  updates: number;
  microsecondsPerUpdate: { p50: number; p99: number; max: number };
  /** Share of tracks fused with their own ship at the end (a check that the work measured is the real one). */
  associatedRight: number;
}

/** A repeatable stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function benchFusion(ships = 2_000, seconds = 60): FusionBenchResult {
  const next = random(14);
  const noise = () => (next() + next() + next() - 1.5) * 2;
  // Ships spread over the strait and its approaches (50.6–51.3° N, 0.9–2.4° E), 4–22 kn, any course.
  const fleet = Array.from({ length: ships }, (_, i) => ({
    mmsi: 227_000_000 + i,
    lat: 50.6 + next() * 0.7,
    lon: 0.9 + next() * 1.5,
    course: next() * 360,
    knots: 4 + next() * 18,
    aisEveryS: 2 + Math.floor(next() * 9),
  }));
  const fusion = new FusionEngine(6 * 1852);
  const samples: number[] = [];
  const start = Date.UTC(2026, 11, 4, 21);
  for (let second = 0; second < seconds; second++) {
    const time = start + second * 1000;
    for (const ship of fleet) {
      const moved = destinationPoint(ship.lat, ship.lon, ship.course, (ship.knots * 1852) / 3600);
      ship.lat = moved.lat;
      ship.lon = moved.lon;
      if (second % ship.aisEveryS === 0) fusion.ais({ mmsi: ship.mmsi, time, lat: ship.lat, lon: ship.lon, course: ship.course, speed: ship.knots });
    }
    for (const ship of fleet) {
      const seen = destinationPoint(ship.lat, ship.lon, next() * 360, Math.abs(noise()) * 40);
      const update = {
        track: `RAD:${ship.mmsi - 227_000_000}`,
        sensor: 'RAD',
        time,
        lat: seen.lat,
        lon: seen.lon,
        course: (ship.course + noise() * 3 + 360) % 360,
        speed: Math.max(0, ship.knots + noise() * 0.5),
        cls: 'vessel' as const,
        coastMeters: 10_000,
      };
      const began = performance.now();
      fusion.radar(update);
      // The first seconds build the associations: timed from then on, in steady state.
      if (second >= 10) samples.push((performance.now() - began) * 1000);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 10) / 10;
  const right = fleet.filter((ship) => fusion.associationOf(`RAD:${ship.mmsi - 227_000_000}`) === ship.mmsi).length;
  return {
    radarTracks: ships,
    aisShips: ships,
    updates: samples.length,
    microsecondsPerUpdate: { p50: at(0.5), p99: at(0.99), max: Math.round(samples[samples.length - 1]! * 10) / 10 },
    associatedRight: Math.round((right / ships) * 1000) / 1000,
  };
}
