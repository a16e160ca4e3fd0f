// Shipping in the Dover Strait: ships following the traffic separation
// scheme's lanes (each keeps its own offset from the lane's centre line and
// its own speed; one leaving at the far end is replaced by a new ship at the
// start), cross-Channel ferries shuttling between their ports, and fishing
// boats working an area. Everything here is on the water by construction,
// and the constructor refuses lanes or routes that cross land.
import type { Scenario } from '../scenario';
import { ScenarioFileError } from '../scenario';
import type { LonLat } from './geo';
import { KNOT_MS, Polyline, bearingDegrees, destinationPoint, distanceMeters, normalizeDegrees } from './geo';
import type { Geography } from './geography';
import type { Random } from './random';

export type TargetClass = 'vessel' | 'small-boat';

/** Anything a radar can see. */
export interface SeaTarget {
  /** Unique for the target's life; also its NMEA name: V<n> for vessels, SB<n> for small boats. */
  readonly id: string;
  readonly cls: TargetClass;
  readonly position: LonLat;
  /** Degrees true. */
  readonly course: number;
  /** Metres per second. */
  readonly speedMs: number;
  /** What kind of ship (decides whether and how it transmits AIS: model/aisTransponders.ts). Small boats have none. */
  readonly kind?: 'merchant' | 'ferry' | 'fishing';
}

export interface Lane {
  id: string;
  name: string;
  centre: Polyline;
  halfWidthMeters: number;
}

interface LaneVessel extends SeaTarget {
  id: string;
  lane: Lane;
  /** Distance along the centre line, metres. */
  s: number;
  /** Signed offset to the right of the centre line, metres. */
  offset: number;
  speedMs: number;
  position: LonLat;
  course: number;
}

interface Ferry extends SeaTarget {
  id: string;
  route: Polyline;
  s: number;
  direction: 1 | -1;
  cruiseMs: number;
  dwellMinutes: readonly [number, number];
  dwellUntil: number;
  speedMs: number;
  position: LonLat;
  course: number;
}

interface FishingBoat extends SeaTarget {
  id: string;
  center: LonLat;
  radius: number;
  waypoint: LonLat;
  cruiseMs: number;
  pauseUntil: number;
  speedMs: number;
  position: LonLat;
  course: number;
}

type TrafficConfig = Scenario['traffic'];

/** Metres between the checks of a lane or route against the land. */
const CHECK_STEP = 400;

export class Traffic {
  readonly lanes: readonly Lane[];
  private readonly laneVessels: LaneVessel[] = [];
  private readonly ferries: Ferry[] = [];
  private readonly fishing: FishingBoat[] = [];
  private readonly all: SeaTarget[] = [];
  private nextNumber = 1;
  private now = 0;

  constructor(
    private readonly config: TrafficConfig,
    private readonly geography: Geography,
    private readonly random: Random,
  ) {
    this.lanes = config.lanes.map((lane, index) => {
      const centre = new Polyline(lane.path);
      checkCorridor(geography, centre, lane.halfWidthMeters, `traffic.lanes.${index}.path (${lane.id})`);
      return { id: lane.id, name: lane.name, centre, halfWidthMeters: lane.halfWidthMeters };
    });
    config.lanes.forEach((spec, index) => {
      const lane = this.lanes[index]!;
      for (let i = 0; i < spec.vessels; i++) this.laneVessels.push(this.newLaneVessel(lane, random.range(0, lane.centre.length)));
    });
    config.ferries.forEach((spec, index) => {
      const route = new Polyline(spec.route);
      checkCorridor(geography, route, 0, `traffic.ferries.${index}.route (${spec.id})`);
      for (let i = 0; i < spec.ships; i++) {
        const s = random.range(0, route.length);
        const ferry: Ferry = {
          id: this.name(),
          cls: 'vessel',
          kind: 'ferry',
          route,
          s,
          direction: random.chance(0.5) ? 1 : -1,
          cruiseMs: random.between(spec.speedKnots) * KNOT_MS,
          dwellMinutes: spec.dwellMinutes,
          dwellUntil: 0,
          speedMs: 0,
          position: route.at(s).point,
          course: 0,
        };
        this.placeFerry(ferry);
        this.ferries.push(ferry);
      }
    });
    config.fishing.forEach((spec, index) => {
      if (!geography.inMedium('water', spec.center))
        throw new ScenarioFileError(`traffic.fishing.${index}.center (${spec.id}): ${spec.center.join(', ')} is on land`);
      for (let i = 0; i < spec.boats; i++) {
        const position = this.waterPointNear(spec.center, spec.radiusMeters, spec.center) ?? spec.center;
        const boat: FishingBoat = {
          id: this.name(),
          cls: 'vessel',
          kind: 'fishing',
          center: spec.center,
          radius: spec.radiusMeters,
          waypoint: position,
          cruiseMs: random.between(spec.speedKnots) * KNOT_MS,
          pauseUntil: random.range(0, 20 * 60_000),
          speedMs: 0,
          position,
          course: random.range(0, 360),
        };
        this.fishing.push(boat);
      }
    });
    this.refreshAll();
  }

  /** Every vessel afloat now (lanes, ferries, fishing). */
  targets(): readonly SeaTarget[] {
    return this.all;
  }

  /** Ships in the lanes only, with their lane: for tests and benchmarks. */
  laneTargets(): readonly (SeaTarget & { lane: Lane })[] {
    return this.laneVessels;
  }

  step(dtMs: number): void {
    this.now += dtMs;
    const dt = dtMs / 1000;
    let replaced = false;
    for (let i = 0; i < this.laneVessels.length; i++) {
      const vessel = this.laneVessels[i]!;
      vessel.s += vessel.speedMs * dt;
      if (vessel.s >= vessel.lane.centre.length) {
        // Gone out of the picture at the far end; a new ship enters at the start.
        this.laneVessels[i] = this.newLaneVessel(vessel.lane, vessel.s - vessel.lane.centre.length);
        replaced = true;
      } else {
        placeLaneVessel(vessel);
      }
    }
    for (const ferry of this.ferries) this.stepFerry(ferry, dt);
    for (const boat of this.fishing) this.stepFishing(boat, dt);
    if (replaced) this.refreshAll();
  }

  private refreshAll(): void {
    this.all.length = 0;
    this.all.push(...this.laneVessels, ...this.ferries, ...this.fishing);
  }

  private name(): string {
    return `V${this.nextNumber++}`;
  }

  private newLaneVessel(lane: Lane, s: number): LaneVessel {
    const spec = this.config.lanes.find((candidate) => candidate.id === lane.id)!;
    // Offsets cluster towards the middle of the lane, as ships keep clear of its edges.
    const offset = Math.max(-1, Math.min(1, this.random.gaussian() * 0.45)) * lane.halfWidthMeters;
    const vessel: LaneVessel = {
      id: this.name(),
      cls: 'vessel',
      kind: 'merchant',
      lane,
      s,
      offset,
      speedMs: this.random.between(spec.speedKnots) * KNOT_MS,
      position: lane.centre.points[0]!,
      course: 0,
    };
    placeLaneVessel(vessel);
    return vessel;
  }

  private placeFerry(ferry: Ferry): void {
    const at = ferry.route.at(ferry.s);
    ferry.position = at.point;
    ferry.course = ferry.direction === 1 ? at.bearing : normalizeDegrees(at.bearing + 180);
  }

  private stepFerry(ferry: Ferry, dt: number): void {
    if (this.now < ferry.dwellUntil) {
      ferry.speedMs = 0;
      return;
    }
    ferry.speedMs = ferry.cruiseMs;
    ferry.s += ferry.direction * ferry.cruiseMs * dt;
    const end = ferry.direction === 1 ? ferry.route.length : 0;
    if ((ferry.direction === 1 && ferry.s >= end) || (ferry.direction === -1 && ferry.s <= end)) {
      ferry.s = end;
      ferry.direction = ferry.direction === 1 ? -1 : 1;
      ferry.dwellUntil = this.now + this.random.between(ferry.dwellMinutes) * 60_000;
      ferry.speedMs = 0;
    }
    this.placeFerry(ferry);
  }

  private stepFishing(boat: FishingBoat, dt: number): void {
    if (this.now < boat.pauseUntil) {
      boat.speedMs = 0;
      return;
    }
    const remaining = distanceMeters(boat.position, boat.waypoint);
    const travel = boat.cruiseMs * dt;
    if (remaining <= travel) {
      boat.position = boat.waypoint;
      boat.speedMs = 0;
      // Shoot the nets for a while, then move on to another spot of the area.
      boat.pauseUntil = this.now + this.random.range(2, 25) * 60_000;
      boat.waypoint = this.waterPointNear(boat.center, boat.radius, boat.position) ?? boat.position;
      return;
    }
    boat.course = bearingDegrees(boat.position, boat.waypoint);
    boat.position = destinationPoint(boat.position, boat.course, travel);
    boat.speedMs = boat.cruiseMs;
  }

  /** A random point of the disc on the water, reachable from `from` in a straight line over water. */
  private waterPointNear(center: LonLat, radius: number, from: LonLat): LonLat | null {
    for (let attempt = 0; attempt < 40; attempt++) {
      const candidate = destinationPoint(center, this.random.range(0, 360), radius * Math.sqrt(this.random.next()));
      if (this.geography.inMedium('water', candidate) && this.geography.land.segmentIn('water', from, candidate, 100)) return candidate;
    }
    return null;
  }
}

function placeLaneVessel(vessel: LaneVessel): void {
  const at = vessel.lane.centre.at(vessel.s);
  vessel.position = vessel.offset === 0 ? at.point : destinationPoint(at.point, at.bearing + 90, vessel.offset);
  vessel.course = at.bearing;
}

/** Refuses a lane (or route, width 0) whose corridor touches land anywhere. */
function checkCorridor(geography: Geography, line: Polyline, halfWidth: number, field: string): void {
  const steps = Math.max(1, Math.ceil(line.length / CHECK_STEP));
  for (let i = 0; i <= steps; i++) {
    const at = line.at((line.length * i) / steps);
    for (const offset of halfWidth > 0 ? [-halfWidth, 0, halfWidth] : [0]) {
      const p = offset === 0 ? at.point : destinationPoint(at.point, at.bearing + 90, offset);
      if (!geography.inMedium('water', p)) throw new ScenarioFileError(`${field}: crosses land near ${p[0].toFixed(4)}, ${p[1].toFixed(4)}`);
    }
  }
}
