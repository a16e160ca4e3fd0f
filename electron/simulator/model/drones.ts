// Surveillance drones: each flies back and forth along its patrol line; when a
// boat is launched within reach, the nearest free drone is diverted, reports
// the boat once it has it in its footprint (a sensor point of interest), then
// follows it for a while, reporting its track, before flying back.
import type { Scenario } from '../scenario';
import type { LonLat } from './geo';
import { KNOT_MS, Polyline, bearingDegrees, destinationPoint, distanceMeters } from './geo';
import type { Launch, SmallBoat } from './launches';
import type { Random } from './random';

type DroneConfig = Scenario['drones'];

export type DroneMode = 'patrol' | 'transit' | 'follow' | 'return';

export interface Drone {
  readonly id: string;
  readonly name: string;
  readonly footprintMeters: number;
  readonly patrol: Polyline;
  mode: DroneMode;
  position: LonLat;
  heading: number;
  speedMs: number;
  /** Along the patrol line, and which way. */
  s: number;
  direction: 1 | -1;
  launch: Launch | undefined;
  followUntil: number;
  nextPosition: number;
}

export type DroneEvent =
  | { type: 'position'; drone: Drone }
  /** The drone has the boat in its camera: a point of interest. */
  | { type: 'sighting'; drone: Drone; launch: Launch; boat: SmallBoat }
  /** While following: the boat's track, parented to the drone. */
  | { type: 'track'; drone: Drone; boat: SmallBoat };

export interface DroneSpec {
  id: string;
  name: string;
  footprintMeters: number;
  path: readonly LonLat[];
}

export class Drones {
  readonly list: Drone[];
  private readonly cruiseMs: number;

  constructor(
    private readonly config: DroneConfig,
    specs: readonly DroneSpec[],
    random: Random,
  ) {
    this.cruiseMs = config.speedKnots * KNOT_MS;
    this.list = specs.map((spec) => {
      const patrol = new Polyline(spec.path);
      const s = random.range(0, patrol.length);
      const at = patrol.at(s);
      return {
        id: spec.id,
        name: spec.name,
        footprintMeters: spec.footprintMeters,
        patrol,
        mode: 'patrol',
        position: at.point,
        heading: at.bearing,
        speedMs: this.cruiseMs,
        s,
        direction: random.chance(0.5) ? 1 : -1,
        launch: undefined,
        followUntil: 0,
        nextPosition: random.range(0, config.positionEverySeconds * 1000),
      };
    });
  }

  /** Sends the nearest drone on patrol (within reach) to a launched boat. */
  divert(launch: Launch): Drone | undefined {
    const boat = launch.boat;
    if (!boat) return undefined;
    const reach = this.config.divertWithinKm * 1000;
    const candidates = this.list
      .filter((drone) => drone.mode === 'patrol' || drone.mode === 'return')
      .map((drone) => ({ drone, distance: distanceMeters(drone.position, boat.position) }))
      .filter((candidate) => candidate.distance <= reach)
      .sort((a, b) => a.distance - b.distance);
    const chosen = candidates[0]?.drone;
    if (chosen) {
      chosen.mode = 'transit';
      chosen.launch = launch;
    }
    return chosen;
  }

  step(now: number, dtMs: number, emit: (event: DroneEvent) => void): void {
    const dt = dtMs / 1000;
    for (const drone of this.list) {
      switch (drone.mode) {
        case 'patrol':
          this.fly(drone, dt);
          break;
        case 'transit': {
          const boat = drone.launch?.phase === 'at-sea' ? drone.launch.boat : undefined;
          if (!boat) {
            drone.mode = 'return';
            break;
          }
          if (this.approach(drone, boat.position, dt, drone.footprintMeters / 2)) {
            drone.mode = 'follow';
            drone.followUntil = now + this.config.followMinutes * 60_000;
            emit({ type: 'sighting', drone, launch: drone.launch!, boat });
          }
          break;
        }
        case 'follow': {
          const boat = drone.launch?.phase === 'at-sea' ? drone.launch.boat : undefined;
          if (!boat || now >= drone.followUntil) {
            drone.mode = 'return';
            drone.launch = undefined;
            break;
          }
          // Station-keeping a little astern of the boat.
          drone.position = destinationPoint(boat.position, boat.course + 180, 80);
          drone.heading = boat.course;
          drone.speedMs = boat.speedMs;
          break;
        }
        case 'return': {
          const back = drone.patrol.project(drone.position);
          if (this.approach(drone, back.point, dt, 1)) {
            drone.mode = 'patrol';
            drone.s = back.s;
          }
          break;
        }
      }
      if (now >= drone.nextPosition) {
        emit({ type: 'position', drone });
        if (drone.mode === 'follow' && drone.launch?.boat) emit({ type: 'track', drone, boat: drone.launch.boat });
        drone.nextPosition = Math.max(drone.nextPosition + this.config.positionEverySeconds * 1000, now + 1);
      }
    }
  }

  /** Back and forth along the patrol line. */
  private fly(drone: Drone, dt: number): void {
    drone.s += drone.direction * this.cruiseMs * dt;
    if (drone.s >= drone.patrol.length) {
      drone.s = drone.patrol.length - (drone.s - drone.patrol.length);
      drone.direction = -1;
    } else if (drone.s <= 0) {
      drone.s = -drone.s;
      drone.direction = 1;
    }
    const at = drone.patrol.at(drone.s);
    drone.position = at.point;
    drone.heading = drone.direction === 1 ? at.bearing : (at.bearing + 180) % 360;
    drone.speedMs = this.cruiseMs;
  }

  /** Flies straight towards p; true once within `within` metres. */
  private approach(drone: Drone, p: LonLat, dt: number, within: number): boolean {
    const distance = distanceMeters(drone.position, p);
    if (distance <= within) return true;
    drone.heading = bearingDegrees(drone.position, p);
    drone.speedMs = this.cruiseMs;
    const travel = this.cruiseMs * dt;
    drone.position = travel >= distance ? p : destinationPoint(drone.position, drone.heading, travel);
    return distanceMeters(drone.position, p) <= within;
  }
}
