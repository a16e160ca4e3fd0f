// Coastal radars as ARPA trackers: each acquires every target within its
// range under a target number of its own, reports it about once per interval
// (range/bearing, sometimes position), and reports it lost once when it
// leaves range or disappears. Produces report values; the NMEA text is the
// encoder's job.
import type { LonLat } from './geo';
import { EARTH_RADIUS_M, LocalFrame, METERS_PER_NM, bearingDegrees, distanceMeters, normalizeDegrees } from './geo';
import type { Random } from './random';
import type { SeaTarget } from './traffic';

export interface RadarSpec {
  id: string;
  position: LonLat;
  rangeMeters: number;
  /** Share of reports sent as TLL rather than TTM. */
  tllShare: number;
  /** false: the radar stays up (heartbeats) but reports no targets. */
  reportTargets: boolean;
}

export interface RadarReport {
  radar: string;
  sentence: 'TTM' | 'TLL';
  number: number;
  name: string;
  status: 'T' | 'L';
  distanceNm: number;
  bearing: number;
  speedKnots: number;
  course: number;
  cpaNm: number;
  tcpaMinutes: number;
  lat: number;
  lon: number;
}

interface Tracked {
  number: number;
  nextReport: number;
  /** The target as last seen (a ship that left keeps its last state). */
  target: SeaTarget;
}

/** ARPA target numbers are 0–999 (three digits in TTM/TLL); numbering starts at 1 and wraps round. */
export const MAX_TARGET_NUMBER = 999;

class RadarTracker {
  private readonly tracked = new Map<string, Tracked>();
  private readonly inUse = new Set<number>();
  private nextNumber = 1;
  private readonly frame: LocalFrame;
  private readonly latReach: number;
  /** Acquisitions refused because every target number was in use. */
  saturated = 0;

  constructor(
    readonly spec: RadarSpec,
    private readonly intervalMs: number,
    private readonly random: Random,
  ) {
    this.frame = new LocalFrame(spec.position);
    this.latReach = (spec.rangeMeters / EARTH_RADIUS_M) * (180 / Math.PI);
  }

  get trackedCount(): number {
    return this.tracked.size;
  }

  step(now: number, targets: readonly SeaTarget[], emit: (report: RadarReport) => void): void {
    if (!this.spec.reportTargets) return;
    const seen = new Set<string>();
    const radarLat = this.spec.position[1];
    for (const target of targets) {
      // Cheap latitude band first: most targets are far from most radars.
      if (Math.abs(target.position[1] - radarLat) > this.latReach) continue;
      const distance = distanceMeters(this.spec.position, target.position);
      if (distance > this.spec.rangeMeters) continue;
      seen.add(target.id);
      let track = this.tracked.get(target.id);
      if (!track) {
        const number = this.allocateNumber();
        // A full radar, like a real ARPA at its target limit, does not acquire more.
        if (number === undefined) {
          this.saturated += 1;
          continue;
        }
        track = { number, nextReport: now + this.random.range(0, this.intervalMs), target };
        this.tracked.set(target.id, track);
      }
      track.target = target;
      if (now >= track.nextReport) {
        emit(this.measure(target, track.number, this.random.chance(this.spec.tllShare) ? 'TLL' : 'TTM', 'T'));
        track.nextReport += this.intervalMs;
        if (track.nextReport <= now) track.nextReport = now + this.intervalMs;
      }
    }
    for (const [id, track] of this.tracked) {
      if (seen.has(id)) continue;
      // Out of range or gone: one last report, status L, then the number is free.
      emit(this.measure(track.target, track.number, 'TTM', 'L'));
      this.tracked.delete(id);
      this.inUse.delete(track.number);
    }
  }

  private allocateNumber(): number | undefined {
    for (let i = 0; i < MAX_TARGET_NUMBER; i++) {
      const number = this.nextNumber;
      this.nextNumber = (this.nextNumber % MAX_TARGET_NUMBER) + 1;
      if (!this.inUse.has(number)) {
        this.inUse.add(number);
        return number;
      }
    }
    return undefined;
  }

  private measure(target: SeaTarget, number: number, sentence: 'TTM' | 'TLL', status: 'T' | 'L'): RadarReport {
    // Closest approach to the radar if the target holds course and speed.
    const [x, y] = this.frame.toXY(target.position);
    const course = (target.course * Math.PI) / 180;
    const vx = target.speedMs * Math.sin(course);
    const vy = target.speedMs * Math.cos(course);
    const v2 = vx * vx + vy * vy;
    const tcpa = v2 < 1e-6 ? 0 : -(x * vx + y * vy) / v2;
    const distance = distanceMeters(this.spec.position, target.position);
    // The flat frame and the sphere differ by metres at 30 km: never let the CPA exceed the range.
    const cpa = Math.min(distance, Math.hypot(x + vx * tcpa, y + vy * tcpa));
    return {
      radar: this.spec.id,
      sentence,
      number,
      name: target.id,
      status,
      distanceNm: distance / METERS_PER_NM,
      bearing: bearingDegrees(this.spec.position, target.position),
      speedKnots: target.speedMs / (METERS_PER_NM / 3600),
      course: normalizeDegrees(target.course),
      cpaNm: cpa / METERS_PER_NM,
      tcpaMinutes: tcpa / 60,
      lat: target.position[1],
      lon: target.position[0],
    };
  }
}

export class Radars {
  private readonly trackers: RadarTracker[];

  constructor(specs: readonly RadarSpec[], intervalMs: number, random: Random) {
    this.trackers = specs.map((spec) => new RadarTracker(spec, intervalMs, random.fork(`radar:${spec.id}`)));
  }

  /** Targets each radar holds now. */
  tracked(): Record<string, number> {
    return Object.fromEntries(this.trackers.map((tracker) => [tracker.spec.id, tracker.trackedCount]));
  }

  /** Acquisitions each radar refused for want of a free target number. */
  saturated(): Record<string, number> {
    return Object.fromEntries(this.trackers.map((tracker) => [tracker.spec.id, tracker.saturated]));
  }

  step(now: number, targets: readonly SeaTarget[], silent: (radar: string) => boolean, emit: (report: RadarReport) => void): void {
    for (const tracker of this.trackers) {
      // A silent radar says nothing and keeps its picture; it catches up when it comes back.
      if (silent(tracker.spec.id)) continue;
      tracker.step(now, targets, emit);
    }
  }
}
