// Small-boat launches: a group gathers on a beach (sector drawn by risk),
// a camera that covers the spot reports it every so often while it grows;
// after a few minutes the boat is launched (camera `boat-launch`, optronic
// observers in range report it) and heads for England, where it leaves the
// picture. A patrol arriving while the group is still on the beach
// disperses it: the launch is prevented.
import type { DetectionKind } from '../../../shared/domain';
import type { Scenario } from '../scenario';
import { ScenarioFileError } from '../scenario';
import type { LonLat } from './geo';
import { KNOT_MS, Polyline, angleBetween, bearingDegrees, destinationPoint, distanceMeters, pointInRing } from './geo';
import type { BeachSector, Geography } from './geography';
import type { Random } from './random';
import type { SeaTarget } from './traffic';

type LaunchConfig = Scenario['launches'];

export interface CameraSpec {
  id: string;
  position: LonLat;
  bearing: number;
  fieldOfView: number;
  rangeMeters: number;
}

export interface ObserverSpec {
  id: string;
  position: LonLat;
  rangeMeters: number;
}

export type LaunchPhase = 'gathering' | 'at-sea' | 'prevented' | 'crossed';

export interface SmallBoat extends SeaTarget {
  readonly id: string;
  path: Polyline;
  s: number;
  cruiseMs: number;
  position: LonLat;
  course: number;
  speedMs: number;
}

export interface Launch {
  /** L<n>, in order of the first sighting. */
  readonly name: string;
  readonly sector: BeachSector;
  /** Where the group waits: on the beach, on land. */
  readonly spot: LonLat;
  /** Where the boat goes into the water. */
  readonly waterline: LonLat;
  /** The camera that sees the spot, if any. */
  readonly camera: CameraSpec | undefined;
  readonly people: number;
  readonly startedAt: number;
  readonly launchAt: number;
  phase: LaunchPhase;
  boat: SmallBoat | undefined;
  endedAt: number | undefined;
  nextCameraReport: number;
  nextOptronicReport: number;
  optronicReports: number;
}

/** What the launches make the sensors say. */
export type LaunchEvent =
  | { type: 'detection'; sensor: string; detection: string; kind: DetectionKind; at: LonLat; confidence: number; count: number }
  | { type: 'optronic'; sensor: string; report: string; kind: DetectionKind; observer: LonLat; bearing: number; range: number; confidence: number }
  | { type: 'launched'; launch: Launch }
  | { type: 'prevented'; launch: Launch }
  | { type: 'crossed'; launch: Launch };

/** How far the group waits from the water's edge, metres. */
const BEACH_DEPTH = 120;
/** Groups choose spots at least this far from any patrol, when they can. */
const AVOID_PATROLS = 1_500;

export class Launches {
  private readonly list: Launch[] = [];
  private nextStart: number;
  private count = 0;
  private boatCount = 0;

  constructor(
    private readonly config: LaunchConfig,
    private readonly geography: Geography,
    private readonly cameras: readonly CameraSpec[],
    private readonly observers: readonly ObserverSpec[],
    private readonly random: Random,
  ) {
    this.nextStart = config.perHour > 0 || config.firstSector ? config.firstAfterSeconds * 1000 : Infinity;
    if (config.firstSector && !geography.sector(config.firstSector)) throw new ScenarioFileError(`launches.firstSector: no sector ${config.firstSector}`);
  }

  all(): readonly Launch[] {
    return this.list;
  }

  /** Small boats at sea now. */
  boats(): SmallBoat[] {
    const boats: SmallBoat[] = [];
    for (const launch of this.list) if (launch.phase === 'at-sea' && launch.boat) boats.push(launch.boat);
    return boats;
  }

  /**
   * A group starts gathering now: in the given sector, or one drawn by risk.
   * `patrols` are the patrol positions the smugglers try to stay away from.
   */
  start(now: number, patrols: readonly LonLat[], sectorId?: string): Launch {
    const sector = sectorId
      ? this.geography.sector(sectorId)
      : this.random.weighted(this.geography.sectors, (candidate) => this.config.riskWeights[candidate.risk]);
    if (!sector) throw new Error(`no sector ${sectorId}`);
    // The first group of a demo is where a camera sees it; later ones with the scenario's odds.
    const inView = this.count === 0 || this.random.chance(this.config.inCameraViewShare);
    const spot = this.pickSpot(sector, patrols, inView);
    const waterline = this.geography.shorePoint('water', spot);
    // A camera sees the group if it sees the spot or the water's edge in front of it.
    const camera = this.cameras
      .filter((candidate) => covers(candidate, spot) || covers(candidate, waterline))
      .sort((a, b) => distanceMeters(a.position, spot) - distanceMeters(b.position, spot))[0];
    const launch: Launch = {
      name: `L${++this.count}`,
      sector,
      spot,
      waterline,
      camera,
      people: Math.round(this.random.between(this.config.groupSize)),
      startedAt: now,
      launchAt: now + this.random.between(this.config.gatherMinutes) * 60_000,
      phase: 'gathering',
      boat: undefined,
      endedAt: undefined,
      // The camera's analytics need a little while to pick the group out.
      nextCameraReport: now + this.random.range(5_000, 20_000),
      nextOptronicReport: Infinity,
      optronicReports: 0,
    };
    this.list.push(launch);
    return launch;
  }

  step(now: number, dtMs: number, patrols: readonly LonLat[], emit: (event: LaunchEvent) => void): void {
    if (now >= this.nextStart) {
      this.start(now, patrols, this.count === 0 ? this.config.firstSector : undefined);
      this.nextStart = this.config.perHour > 0 ? now + this.random.exponential(3_600_000 / this.config.perHour) : Infinity;
    }
    for (const launch of this.list) {
      if (launch.phase === 'gathering') this.stepGathering(launch, now, patrols, emit);
      else if (launch.phase === 'at-sea') this.stepAtSea(launch, now, dtMs, emit);
    }
  }

  private stepGathering(launch: Launch, now: number, patrols: readonly LonLat[], emit: (event: LaunchEvent) => void): void {
    if (this.config.dispersalRadiusMeters > 0 && patrols.some((patrol) => distanceMeters(patrol, launch.spot) <= this.config.dispersalRadiusMeters)) {
      launch.phase = 'prevented';
      launch.endedAt = now;
      emit({ type: 'prevented', launch });
      return;
    }
    if (now >= launch.launchAt) {
      this.launch(launch, now, emit);
      return;
    }
    if (launch.camera && now >= launch.nextCameraReport) {
      // The group grows as people arrive, from about half; the analytics' count is noisy but stays in the scenario's range.
      const grown = 0.5 + 0.5 * Math.min(1, (now - launch.startedAt) / Math.max(1, launch.launchAt - launch.startedAt));
      const least = Math.min(launch.people, Math.ceil(this.config.groupSize[0]));
      const count = Math.max(least, Math.min(launch.people, Math.round(launch.people * grown * (1 + 0.08 * this.random.gaussian()))));
      emit({
        type: 'detection',
        sensor: launch.camera.id,
        detection: `${launch.camera.id}-${launch.name}-group`,
        kind: 'group-on-beach',
        at: jitter(launch.spot, 15, this.random),
        confidence: this.random.between(this.config.cameraConfidence),
        count,
      });
      launch.nextCameraReport = now + this.config.detectionEverySeconds * 1000 * this.random.range(0.85, 1.15);
    }
  }

  private launch(launch: Launch, now: number, emit: (event: LaunchEvent) => void): void {
    const path = this.crossingPath(launch.waterline);
    const cruiseMs = this.random.between(this.config.boatSpeedKnots) * KNOT_MS;
    const boat: SmallBoat = {
      id: `SB${++this.boatCount}`,
      cls: 'small-boat',
      path,
      s: 0,
      cruiseMs,
      position: path.points[0]!,
      course: path.at(0).bearing,
      speedMs: cruiseMs,
    };
    launch.phase = 'at-sea';
    launch.boat = boat;
    if (launch.camera) {
      emit({
        type: 'detection',
        sensor: launch.camera.id,
        detection: `${launch.camera.id}-${launch.name}-launch`,
        kind: 'boat-launch',
        at: launch.waterline,
        confidence: this.random.between(this.config.cameraConfidence),
        count: launch.people,
      });
    }
    this.reportFromObservers(launch, now, 'boat-launch', emit);
    emit({ type: 'launched', launch });
  }

  private stepAtSea(launch: Launch, now: number, dtMs: number, emit: (event: LaunchEvent) => void): void {
    const boat = launch.boat!;
    boat.s += boat.cruiseMs * (dtMs / 1000);
    if (boat.s >= boat.path.length - this.config.arrivalMeters) {
      // Met by the English side: out of this picture.
      launch.phase = 'crossed';
      launch.endedAt = now;
      emit({ type: 'crossed', launch });
      return;
    }
    const at = boat.path.at(boat.s);
    boat.position = at.point;
    boat.course = at.bearing;
    if (now >= launch.nextOptronicReport) this.reportFromObservers(launch, now, 'boat-at-sea', emit);
  }

  /** Every observer whose laser reaches the boat sends a report: own position, bearing, range. */
  private reportFromObservers(launch: Launch, now: number, kind: DetectionKind, emit: (event: LaunchEvent) => void): void {
    const boat = launch.boat!;
    for (const observer of this.observers) {
      const range = distanceMeters(observer.position, boat.position);
      if (range > observer.rangeMeters) continue;
      launch.optronicReports += 1;
      emit({
        type: 'optronic',
        sensor: observer.id,
        report: `${observer.id}-${launch.name}-${launch.optronicReports}`,
        kind,
        observer: observer.position,
        // A hand-held laser rangefinder: a few tenths of a degree, a few metres.
        bearing: (bearingDegrees(observer.position, boat.position) + 0.3 * this.random.gaussian() + 360) % 360,
        range: Math.max(1, range + 5 * this.random.gaussian()),
        confidence: this.random.between(this.config.optronicConfidence),
      });
    }
    launch.nextOptronicReport = now + this.config.optronicEverySeconds * 1000;
  }

  /**
   * A spot on the beach of the sector: on land, near the water, away from
   * patrols when possible — and, when `inView`, inside a camera's field of
   * view if any camera sees part of this beach.
   */
  private pickSpot(sector: BeachSector, patrols: readonly LonLat[], inView: boolean): LonLat {
    const awayFromPatrols = (p: LonLat) => patrols.every((patrol) => distanceMeters(patrol, p) >= AVOID_PATROLS);
    // A drawn point of the sector within reach of the water's edge, moved onto the beach if it fell in the water.
    const toBeach = (p: LonLat): LonLat | undefined => {
      if (!pointInRing(p, sector.ring) || this.geography.land.nearestCoast(p, undefined, BEACH_DEPTH).distance > BEACH_DEPTH) return undefined;
      return this.geography.inMedium('land', p) ? p : this.geography.shorePoint('land', p);
    };
    const search = (draw: () => LonLat, attempts: number): LonLat | undefined => {
      let fallback: LonLat | undefined;
      for (let attempt = 0; attempt < attempts; attempt++) {
        const candidate = toBeach(draw());
        if (!candidate) continue;
        if (awayFromPatrols(candidate)) return candidate;
        fallback ??= candidate;
      }
      return fallback;
    };
    if (inView) {
      const nearby = this.cameras.filter((camera) => sector.ring.some((vertex) => distanceMeters(camera.position, vertex) <= camera.rangeMeters + 1_000));
      if (nearby.length > 0) {
        const seen = search(() => {
          const camera = this.random.pick(nearby);
          return destinationPoint(
            camera.position,
            camera.bearing + (this.random.next() - 0.5) * camera.fieldOfView,
            camera.rangeMeters * Math.sqrt(this.random.next()),
          );
        }, 300);
        if (seen) return seen;
      }
    }
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [lon, lat] of sector.ring) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
    const anywhere = search(() => [this.random.range(west, east), this.random.range(south, north)], 400);
    if (anywhere) return anywhere;
    // A sector with no land strip in the mask: the shore nearest its middle.
    const middle = sector.ring[Math.floor(sector.ring.length / 2)]!;
    return this.geography.shorePoint('land', middle);
  }

  /** From the waterline out to a landing point in England, over water: straight, or out to sea first. */
  private crossingPath(start: LonLat): Polyline {
    const destinations = [...this.config.destinations];
    // Shuffle: boats do not all head for the same beach.
    for (let i = destinations.length - 1; i > 0; i--) {
      const j = this.random.int(0, i);
      [destinations[i], destinations[j]] = [destinations[j]!, destinations[i]!];
    }
    const offshore = this.geography.seaRoute.project(start).point;
    for (const destination of destinations) {
      if (this.geography.land.segmentIn('water', start, destination, 150)) return new Polyline([start, destination]);
      if (this.geography.land.segmentIn('water', start, offshore, 50) && this.geography.land.segmentIn('water', offshore, destination, 150))
        return new Polyline([start, offshore, destination]);
    }
    // Nowhere reachable in a straight line: head out to sea, then on to the first destination.
    return new Polyline([start, offshore, destinations[0]!]);
  }
}

/** The camera's wedge holds p: within range and within half the field of view of its bearing. */
export function covers(camera: CameraSpec, p: LonLat): boolean {
  const distance = distanceMeters(camera.position, p);
  if (distance > camera.rangeMeters) return false;
  if (distance < 1) return true;
  return angleBetween(bearingDegrees(camera.position, p), camera.bearing) <= camera.fieldOfView / 2;
}

function jitter(p: LonLat, meters: number, random: Random): LonLat {
  return destinationPoint(p, random.range(0, 360), meters * random.next());
}
