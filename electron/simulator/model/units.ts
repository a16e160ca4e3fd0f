// Patrol units: they patrol the coast near home (land units along the land
// route, boats along the sea route) and act on the assignments the console
// sends them — acknowledge en route, travel at their type's speed (over land
// slowed by a detour factor, since roads wind), report on scene within the
// radius, stay a while, report cleared and go back to patrol. Land units
// never leave the land and boats never leave the water: every path comes from
// Geography.plan, which keeps to one medium.
import type { Site, SiteUnit } from '../../../shared/site';
import type { Assignment } from '../decode/tasking';
import type { Scenario } from '../scenario';
import type { LonLat } from './geo';
import { KMH_MS, KNOT_MS, Polyline, distanceMeters } from './geo';
import type { Geography } from './geography';
import type { Medium } from './land';
import type { Random } from './random';

type UnitsConfig = Scenario['units'];

export type UnitMode = 'patrol' | 'pause' | 'en-route' | 'on-scene' | 'returning';
export type AckStatus = 'en-route' | 'on-scene' | 'cleared';

export interface UnitProfile {
  medium: Medium;
  /** Top speed, m/s. */
  speedMs: number;
  detourFactor: number;
  patrolMeters: number;
}

export interface Job extends Assignment {
  /** Where the unit is going: the assignment's point, or the nearest point its medium allows. */
  goal: LonLat;
  /** The assignment's point is in the unit's medium (a patrol cannot stand on the sea). */
  reachable: boolean;
  status: AckStatus;
  onSceneUntil: number;
}

export interface PatrolUnit {
  readonly id: string;
  readonly callsign: string;
  readonly type: SiteUnit['type'];
  readonly device: SiteUnit['device'];
  readonly profile: UnitProfile;
  /** Distance along the coast route of the middle of the unit's patrol. */
  readonly homeS: number;
  mode: UnitMode;
  position: LonLat;
  heading: number;
  /** Actual speed over the ground, m/s (0 when stopped). */
  speedMs: number;
  path: Polyline | undefined;
  progress: number;
  pathSpeedMs: number;
  pauseUntil: number;
  job: Job | undefined;
  nextPosition: number;
}

export type UnitEvent = { type: 'position'; unit: PatrolUnit } | { type: 'ack'; unit: PatrolUnit; assignment: string; status: AckStatus };

export function unitProfile(config: UnitsConfig, type: SiteUnit['type']): UnitProfile {
  const spec = config.types[type];
  return {
    medium: type === 'boat' ? 'water' : 'land',
    speedMs: spec.speedKmh !== undefined ? spec.speedKmh * KMH_MS : spec.speedKnots! * KNOT_MS,
    detourFactor: spec.detourFactor,
    patrolMeters: spec.patrolKm * 1000,
  };
}

export class Units {
  readonly list: PatrolUnit[];

  constructor(
    private readonly config: UnitsConfig,
    site: Site,
    private readonly geography: Geography,
    private readonly random: Random,
  ) {
    this.list = site.units.map((unit) => {
      const profile = unitProfile(config, unit.type);
      const route = geography.route(profile.medium);
      const home = route.project(unit.home);
      return {
        id: unit.id,
        callsign: unit.callsign,
        type: unit.type,
        device: unit.device,
        profile,
        homeS: home.s,
        mode: 'pause',
        position: home.point,
        heading: 0,
        speedMs: 0,
        path: undefined,
        progress: 0,
        pathSpeedMs: 0,
        pauseUntil: random.range(0, 60_000),
        job: undefined,
        nextPosition: random.range(0, config.positionEverySeconds * 1000),
      };
    });
  }

  get(id: string): PatrolUnit | undefined {
    return this.list.find((unit) => unit.id === id);
  }

  /** Where every unit is now (groups on a beach keep away from these). */
  positions(): LonLat[] {
    return this.list.map((unit) => unit.position);
  }

  /** An assignment arrives: acknowledge and set off (or repeat the current status for one already held). */
  assign(unit: PatrolUnit, assignment: Assignment, now: number): UnitEvent[] {
    if (unit.job?.assignment === assignment.assignment) return [{ type: 'ack', unit, assignment: assignment.assignment, status: unit.job.status }];
    const plan = this.geography.plan(unit.profile.medium, unit.position, [assignment.lon, assignment.lat]);
    unit.job = { ...assignment, goal: plan.target, reachable: plan.reachesTarget, status: 'en-route', onSceneUntil: 0 };
    unit.mode = 'en-route';
    this.follow(unit, plan.path, unit.profile.speedMs / unit.profile.detourFactor);
    const events: UnitEvent[] = [{ type: 'ack', unit, assignment: assignment.assignment, status: 'en-route' }];
    // Already there (the unit was standing on the spot).
    if (this.arrived(unit)) events.push(this.onScene(unit, now));
    return events;
  }

  /** The console cancels or closes the job: back to patrol without a word. */
  cancel(unit: PatrolUnit, assignment: string | undefined): boolean {
    if (!unit.job || (assignment !== undefined && assignment !== unit.job.assignment)) return false;
    unit.job = undefined;
    this.returnToPatrol(unit);
    return true;
  }

  step(now: number, dtMs: number, emit: (event: UnitEvent) => void): void {
    const dt = dtMs / 1000;
    for (const unit of this.list) {
      switch (unit.mode) {
        case 'pause':
          unit.speedMs = 0;
          if (now >= unit.pauseUntil) this.newPatrolLeg(unit);
          break;
        case 'patrol':
          if (this.advance(unit, dt)) this.pause(unit, now);
          break;
        case 'returning':
          if (this.advance(unit, dt)) this.newPatrolLeg(unit);
          break;
        case 'en-route': {
          const done = this.advance(unit, dt);
          if (this.arrived(unit) || done) emit(this.onScene(unit, now));
          break;
        }
        case 'on-scene':
          unit.speedMs = 0;
          if (now >= unit.job!.onSceneUntil) {
            const assignment = unit.job!.assignment;
            unit.job = undefined;
            emit({ type: 'ack', unit, assignment, status: 'cleared' });
            this.returnToPatrol(unit);
          }
          break;
      }
      if (now >= unit.nextPosition) {
        emit({ type: 'position', unit });
        unit.nextPosition = Math.max(unit.nextPosition + this.config.positionEverySeconds * 1000, now + 1);
      }
    }
  }

  private onScene(unit: PatrolUnit, now: number): UnitEvent {
    const job = unit.job!;
    job.status = 'on-scene';
    job.onSceneUntil = now + this.random.between(this.config.onSceneMinutes) * 60_000;
    unit.mode = 'on-scene';
    unit.path = undefined;
    unit.speedMs = 0;
    return { type: 'ack', unit, assignment: job.assignment, status: 'on-scene' };
  }

  /** Within the on-scene radius of the assignment's point, or at the nearest point the medium allows. */
  private arrived(unit: PatrolUnit): boolean {
    const job = unit.job;
    if (!job) return false;
    if (distanceMeters(unit.position, [job.lon, job.lat]) <= this.config.onSceneRadiusMeters) return true;
    return !job.reachable && unit.path !== undefined && unit.progress >= unit.path.length;
  }

  private follow(unit: PatrolUnit, path: Polyline, speedMs: number): void {
    unit.path = path;
    unit.progress = 0;
    unit.pathSpeedMs = speedMs;
  }

  /** Moves along the current path; true at its end. */
  private advance(unit: PatrolUnit, dt: number): boolean {
    const path = unit.path;
    if (!path) return true;
    unit.progress = Math.min(path.length, unit.progress + unit.pathSpeedMs * dt);
    const at = path.at(unit.progress);
    unit.position = at.point;
    unit.heading = at.bearing;
    unit.speedMs = unit.pathSpeedMs;
    return unit.progress >= path.length;
  }

  private pause(unit: PatrolUnit, now: number): void {
    unit.mode = 'pause';
    unit.path = undefined;
    unit.speedMs = 0;
    unit.pauseUntil = now + this.random.between(this.config.patrolPauseMinutes) * 60_000;
  }

  /** Along the coast route to another point of the unit's patrol stretch. */
  private newPatrolLeg(unit: PatrolUnit): void {
    const route = this.geography.route(unit.profile.medium);
    const here = route.project(unit.position).s;
    const low = Math.max(0, unit.homeS - unit.profile.patrolMeters);
    const high = Math.min(route.length, unit.homeS + unit.profile.patrolMeters);
    const target = this.random.range(low, high);
    unit.mode = 'patrol';
    this.follow(unit, new Polyline(route.slice(here, target)), unit.profile.speedMs * this.config.patrolSpeedFactor);
  }

  /** Back to the nearest point of the unit's patrol stretch, at full speed. */
  private returnToPatrol(unit: PatrolUnit): void {
    const route = this.geography.route(unit.profile.medium);
    const here = route.project(unit.position).s;
    const target = Math.max(unit.homeS - unit.profile.patrolMeters, Math.min(unit.homeS + unit.profile.patrolMeters, here));
    const plan = this.geography.plan(unit.profile.medium, unit.position, route.at(target).point);
    unit.mode = 'returning';
    this.follow(unit, plan.path, unit.profile.speedMs / unit.profile.detourFactor);
  }
}
