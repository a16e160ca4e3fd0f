// Radar–AIS fusion: which radar track is which AIS ship, and which radar
// track near the coast is nobody (a dark contact). Pure and deterministic:
// fed radar updates and AIS positions in log order, with their times; it
// keeps no clock of its own and does no I/O, so the ingest (live), the tests
// and the bench drive it alike. The algorithm is written down in docs/fusion.md.
import { destinationPoint, distanceMeters, EARTH_RADIUS_M } from '../../../shared/sphere';

export const FUSION = {
  /** Position gate: radar fix to the AIS position dead-reckoned to the radar's time. */
  gateMeters: 400,
  /** Speed gate: knots, plus a share of the AIS speed (radars smooth speed over several scans). */
  gateKnots: 3,
  gateSpeedShare: 0.2,
  /** Course gate, degrees; applied only when both say they move faster than `courseFromKnots`. */
  gateDegrees: 35,
  courseFromKnots: 3,
  /** An AIS position older than this is not dead-reckoned into a gate (ms). */
  aisUsableMs: 3 * 60_000,
  /** A ship silent this long is let go of: association released, target forgotten (ms). */
  aisGoneMs: 10 * 60_000,
  /** Associate after this many in-gate updates as the best candidate, among the track's last `window` updates. */
  hitsToAssociate: 3,
  window: 5,
  /** Let go after this many consecutive updates outside the gate. */
  missesToRelease: 3,
  /** Dark contact: updates without an association before a track can be one. */
  darkAfterUpdates: 5,
  /** Dark contact: a track first seen this close to a beach sector is "leaving the beach" (m). */
  beachMeters: 1_500,
  /** Dark contact: small-boat speeds (knots); loitering is slower than `loiterKnots` on average. */
  smallBoatMaxKnots: 25,
  loiterKnots: 3,
  /** AIS silent: an associated ship whose AIS has been quiet this long while its radar track goes on (ms). */
  aisSilentMs: 3 * 60_000,
  /**
   * AIS silent, for a ship whose last report had it at `slowKnots` or less (or
   * gave no speed): such a ship reports only every 3 minutes (ITU-R M.1371:
   * Class A at anchor or moored, Class B at 2 kn or less), so 3 minutes is its
   * next report merely due — silence is two reports missed (ms). (At 3 minutes,
   * every moored ship seen by a radar in the band raised one: about 2,000
   * alerts an hour at regional scale, issue 17 item 5.)
   */
  aisSilentSlowMs: 6 * 60_000,
  slowKnots: 3,
  /**
   * AIS silent: the outer edge of a receiver's declared range where reception
   * is not to be counted on (m). A ship last heard there, or seen by radar
   * there or beyond, has sailed out of coverage: not heard is not silent.
   */
  aisFringeMeters: 2_000,
  /**
   * AIS silent: a track unheard this long has a gap (ms). Silence counts only
   * while the radar sees the ship, so it restarts after one: when the core or
   * the feeds stall, the first radar update after it comes before the ship's
   * next AIS report, and is no evidence that the ship was silent meanwhile.
   */
  radarGapMs: 60_000,
} as const;

/** Where the site's AIS receivers hear ships: position [lon, lat] and declared range. */
export interface AisCoverage {
  position: readonly [number, number];
  rangeMeters: number;
}

export interface RadarUpdate {
  /** Track id (`<sensor>:<number>`). */
  track: string;
  sensor: string;
  time: number;
  lat: number;
  lon: number;
  course?: number;
  speed?: number;
  cls: 'small-boat' | 'vessel' | 'unknown';
  /** Metres from the nearest beach sector (0 inside one); undefined beyond the sectors' reach. */
  coastMeters?: number;
}

export interface AisUpdate {
  mmsi: number;
  time: number;
  lat: number;
  lon: number;
  course?: number;
  speed?: number;
}

export type DarkReason = 'no-ais' | 'coastal-band' | 'radar-small-boat' | 'small-boat-speed' | 'leaving-beach' | 'loitering';

export type FusionChange =
  | { kind: 'associated'; track: string; mmsi: number; confidence: number }
  | { kind: 'released'; track: string; mmsi: number; why: 'diverged' | 'track-gone' | 'ais-gone' | 'replaced' }
  | { kind: 'dark-contact'; track: string; sensor: string; lat: number; lon: number; reasons: DarkReason[] }
  | { kind: 'ais-silent'; track: string; sensor: string; mmsi: number; lat: number; lon: number; silentMs: number };

interface AisTarget extends AisUpdate {
  /** Grid cell the target is filed under, and its place in that cell's columns. */
  cell: number;
  slot: number;
  /** Track associated with this ship, per radar sensor. */
  tracks: Map<string, string>;
}

interface TrackState {
  sensor: string;
  updates: number;
  /** The last `window` updates: the best in-gate MMSI of each (0 = none) and its cost. */
  recent: { mmsi: number; cost: number }[];
  associated?: { mmsi: number; misses: number };
  firstCoastMeters?: number;
  speeds: number[];
  darkRaised: boolean;
  silentRaised: boolean;
  /** The track's last update, and when its current run of updates without a gap began (ms). */
  lastTime: number;
  seenSince: number;
}

/** ~1.1 km × 0.7 km at 51° N: a gate (400 m) spans at most the 3 × 3 cells around a fix. */
const CELL_DEGREES = 0.01;

/** Metres per degree of latitude on the sphere of shared/sphere.ts. */
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;
/**
 * The reach test compares a flat distance with the gate: shrunk by 1 %, and
 * its longitude scale taken at the poleward edge of the cells searched, it
 * stays below the great-circle distance within those cells, so it only skips
 * ships the gate itself would refuse.
 */
const REACH_SHRINK = 0.99;

/** Seconds between the radar fix and the AIS report, clamped as the gate dead-reckons. */
function clampedDtSeconds(update: RadarUpdate, target: AisUpdate): number {
  return Math.max(-FUSION.aisUsableMs, Math.min(FUSION.aisUsableMs, update.time - target.time)) / 1000;
}

/**
 * The ships filed in one grid cell, column by column (what the gate's quick
 * refusals read, NaN for a missing speed or course): at 10,000 tracks a fix
 * looks at a few hundred ships, and scanning numbers in arrays costs a
 * fraction of walking objects. Removal moves the last ship into the gap, so
 * the order is not arrival order: ties go to the lower MMSI.
 */
class Cell {
  readonly ships: AisTarget[] = [];
  readonly lat: number[] = [];
  readonly lon: number[] = [];
  readonly time: number[] = [];
  readonly speed: number[] = [];
  readonly course: number[] = [];
  /** The fastest speed (knots) filed here since the cell was last empty: how far its ships can be from where they reported. */
  knots = 0;

  add(target: AisTarget): void {
    target.slot = this.ships.length;
    this.ships.push(target);
    this.lat.push(0);
    this.lon.push(0);
    this.time.push(0);
    this.speed.push(0);
    this.course.push(0);
    this.write(target);
  }

  write(target: AisTarget): void {
    const i = target.slot;
    this.lat[i] = target.lat;
    this.lon[i] = target.lon;
    this.time[i] = target.time;
    this.speed[i] = target.speed ?? Number.NaN;
    this.course[i] = target.course ?? Number.NaN;
    const knots = target.course !== undefined && target.speed !== undefined && target.speed > 0.5 ? target.speed : 0;
    if (knots > this.knots) this.knots = knots;
  }

  remove(target: AisTarget): void {
    const i = target.slot;
    const last = this.ships.length - 1;
    const moved = this.ships[last]!;
    this.ships[i] = moved;
    moved.slot = i;
    for (const column of [this.lat, this.lon, this.time, this.speed, this.course]) {
      column[i] = column[last]!;
      column.pop();
    }
    this.ships.pop();
  }
}

function cellOf(lat: number, lon: number): number {
  return Math.floor(lat / CELL_DEGREES) * 100_000 + Math.floor(lon / CELL_DEGREES);
}

export class FusionEngine {
  private readonly targets = new Map<number, AisTarget>();
  private readonly grid = new Map<number, Cell>();
  private readonly tracks = new Map<string, TrackState>();

  constructor(
    /** Radar tracks farther than this from the coast (m) are never dark contacts: the site's coastal band. */
    private readonly coastalBandMeters: number,
    /**
     * The site's AIS receivers; a ship out of (or at the fringe of) all of
     * them is never AIS silent. Empty or unset: coverage unknown, taken as everywhere.
     */
    private readonly aisCoverage: readonly AisCoverage[] = [],
    /** Skip ships out of reach before the gate (false: every ship of the nearby cells goes through it; the tests compare the two). */
    private readonly pruneByReach = true,
  ) {}

  /** An AIS position. Ships never change association here: only radar updates decide. */
  ais(update: AisUpdate): void {
    let target = this.targets.get(update.mmsi);
    const cell = cellOf(update.lat, update.lon);
    if (target && target.cell === cell) {
      Object.assign(target, update);
      this.grid.get(cell)!.write(target);
      return;
    }
    if (!target) {
      target = { ...update, cell, slot: 0, tracks: new Map() };
      this.targets.set(update.mmsi, target);
    } else {
      this.unfile(target);
      Object.assign(target, update, { cell });
    }
    let filed = this.grid.get(cell);
    if (!filed) this.grid.set(cell, (filed = new Cell()));
    filed.add(target);
  }

  /** Takes a ship out of its cell (an empty cell is dropped, and forgets its speed). */
  private unfile(target: AisTarget): void {
    const filed = this.grid.get(target.cell);
    if (!filed) return;
    filed.remove(target);
    if (filed.ships.length === 0) this.grid.delete(target.cell);
  }

  /** A radar track update: returns what changed (associations, releases, alerts). */
  radar(update: RadarUpdate): FusionChange[] {
    const changes: FusionChange[] = [];
    let state = this.tracks.get(update.track);
    if (!state) {
      state = {
        sensor: update.sensor,
        updates: 0,
        recent: [],
        speeds: [],
        darkRaised: false,
        silentRaised: false,
        firstCoastMeters: update.coastMeters,
        lastTime: update.time,
        seenSince: update.time,
      };
      this.tracks.set(update.track, state);
    }
    if (update.time - state.lastTime > FUSION.radarGapMs) state.seenSince = update.time;
    state.lastTime = update.time;
    state.updates += 1;
    if (update.speed !== undefined) {
      state.speeds.push(update.speed);
      if (state.speeds.length > FUSION.window) state.speeds.shift();
    }

    const best = this.bestCandidate(update);
    state.recent.push(best ?? { mmsi: 0, cost: 0 });
    if (state.recent.length > FUSION.window) state.recent.shift();

    const current = state.associated;
    if (current) {
      const target = this.targets.get(current.mmsi);
      if (!target || update.time - target.time > FUSION.aisGoneMs) {
        this.release(update.track, state, 'ais-gone', changes);
      } else {
        const cost = update.time - target.time <= FUSION.aisUsableMs ? this.gateCost(update, target) : undefined;
        if (cost === undefined && update.time - target.time <= FUSION.aisUsableMs) current.misses += 1;
        else if (cost !== undefined) current.misses = 0;
        if (current.misses >= FUSION.missesToRelease) this.release(update.track, state, 'diverged', changes);
      }
    }
    // A candidate that keeps winning the gate takes the track (from nobody, or from a ship that stopped fitting).
    if (best && (!state.associated || (state.associated.mmsi !== best.mmsi && state.associated.misses > 0))) {
      const hits = state.recent.filter((entry) => entry.mmsi === best.mmsi);
      if (hits.length >= FUSION.hitsToAssociate && this.claim(update, state, best.mmsi, changes)) {
        const meanCost = hits.reduce((sum, entry) => sum + entry.cost, 0) / hits.length;
        const confidence = Math.round((hits.length / FUSION.window) * (1 - meanCost / 3) * 100) / 100;
        changes.push({ kind: 'associated', track: update.track, mmsi: best.mmsi, confidence: Math.max(0.01, confidence) });
      }
    }

    const associated = state.associated ? this.targets.get(state.associated.mmsi) : undefined;
    const inBand = update.coastMeters !== undefined && update.coastMeters <= this.coastalBandMeters;
    const silentAfter = associated && silentAfterMs(associated);
    if (
      associated &&
      silentAfter &&
      inBand &&
      !state.silentRaised &&
      update.time - Math.max(associated.time, state.seenSince) >= silentAfter &&
      this.wellCovered(associated) &&
      this.wellCovered(update)
    ) {
      state.silentRaised = true;
      changes.push({
        kind: 'ais-silent',
        track: update.track,
        sensor: update.sensor,
        mmsi: associated.mmsi,
        lat: update.lat,
        lon: update.lon,
        silentMs: update.time - associated.time,
      });
    }
    if (associated && silentAfter && update.time - associated.time < silentAfter) state.silentRaised = false;

    if (!state.associated && !state.darkRaised && inBand && state.updates >= FUSION.darkAfterUpdates) {
      const reasons = this.darkReasons(update, state);
      if (reasons) {
        state.darkRaised = true;
        changes.push({ kind: 'dark-contact', track: update.track, sensor: update.sensor, lat: update.lat, lon: update.lon, reasons });
      }
    }
    return changes;
  }

  /** The track is gone (lost or expired). */
  trackGone(track: string): FusionChange[] {
    const state = this.tracks.get(track);
    if (!state) return [];
    const changes: FusionChange[] = [];
    if (state.associated) this.release(track, state, 'track-gone', changes);
    this.tracks.delete(track);
    return changes;
  }

  /** Forgets ships silent longer than `aisGoneMs` (their associations are released on the next radar update). */
  forgetSilentShips(now: number): number[] {
    const gone: number[] = [];
    for (const target of this.targets.values()) {
      if (now - target.time <= FUSION.aisGoneMs || target.tracks.size > 0) continue;
      this.targets.delete(target.mmsi);
      this.unfile(target);
      gone.push(target.mmsi);
    }
    return gone;
  }

  /**
   * Whether a position is inside some AIS receiver's range by more than the
   * fringe: there a ship that is not heard has stopped transmitting, rather
   * than sailed out of reach (issue 17 item 5: ships leaving AIS-GRISNEZ's
   * 74 km eastwards under RAD-DUNKERQUE raised one each).
   */
  private wellCovered(at: { lat: number; lon: number }): boolean {
    if (this.aisCoverage.length === 0) return true;
    return this.aisCoverage.some(
      (receiver) => distanceMeters(at.lat, at.lon, receiver.position[1], receiver.position[0]) <= receiver.rangeMeters - FUSION.aisFringeMeters,
    );
  }

  /** The ship a track is associated with, if any. */
  associationOf(track: string): number | undefined {
    return this.tracks.get(track)?.associated?.mmsi;
  }

  get size(): { tracks: number; ships: number } {
    return { tracks: this.tracks.size, ships: this.targets.size };
  }

  private bestCandidate(update: RadarUpdate): { mmsi: number; cost: number } | undefined {
    let best: { mmsi: number; cost: number } | undefined;
    const row = Math.floor(update.lat / CELL_DEGREES);
    const column = Math.floor(update.lon / CELL_DEGREES);
    // Metres per degree here, shrunk so the flat distance below never exceeds the great-circle one (REACH_SHRINK).
    const kLat = METRES_PER_DEGREE * REACH_SHRINK;
    const kLon = kLat * Math.cos((Math.min(89, Math.abs(update.lat) + 3 * CELL_DEGREES) * Math.PI) / 180);
    const radarSpeed = update.speed;
    const radarCourse = update.course;
    // A ship may have moved up to aisUsableMs × its speed since its last report: look one ring wider for fast ones.
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const cell = this.grid.get((row + dy) * 100_000 + column + dx);
        if (!cell) continue;
        if (this.pruneByReach && (dy !== 0 || dx !== 0)) {
          // The whole cell out of reach: even its fastest ship, at the longest dead-reckoning, from the cell's nearest edge.
          const north = Math.max(0, (row + dy) * CELL_DEGREES - update.lat, update.lat - (row + dy + 1) * CELL_DEGREES) * kLat;
          const east = Math.max(0, (column + dx) * CELL_DEGREES - update.lon, update.lon - (column + dx + 1) * CELL_DEGREES) * kLon;
          const reach = FUSION.gateMeters + (cell.knots * 1852 * FUSION.aisUsableMs) / 3_600_000 + 1;
          if (north * north + east * east > reach * reach) continue;
        }
        const { ships, lat, lon, time, speed, course } = cell;
        for (let i = 0; i < ships.length; i++) {
          if (update.time - time[i]! > FUSION.aisUsableMs) continue;
          if (this.pruneByReach) {
            // The gate's cheapest refusals first (dense lanes put hundreds of ships in these cells): speed, course, then
            // reach — farther from its reported position than the gate plus how far it can have gone since.
            const knots = speed[i]!;
            if (radarSpeed !== undefined && !Number.isNaN(knots)) {
              if (Math.abs(radarSpeed - knots) > FUSION.gateKnots + FUSION.gateSpeedShare * knots) continue;
              const heading = course[i]!;
              if (radarCourse !== undefined && !Number.isNaN(heading) && radarSpeed > FUSION.courseFromKnots && knots > FUSION.courseFromKnots) {
                if (Math.abs(((radarCourse - heading + 540) % 360) - 180) > FUSION.gateDegrees) continue;
              }
            }
            const north = (update.lat - lat[i]!) * kLat;
            const east = (update.lon - lon[i]!) * kLon;
            const moving = knots > 0.5 && !Number.isNaN(course[i]!);
            const dt = Math.abs(Math.max(-FUSION.aisUsableMs, Math.min(FUSION.aisUsableMs, update.time - time[i]!)));
            const reach = FUSION.gateMeters + (moving ? (knots * 1852 * dt) / 3_600_000 + 1 : 0);
            if (north * north + east * east > reach * reach) continue;
          }
          const target = ships[i]!;
          const cost = this.gateCost(update, target);
          if (cost !== undefined && (!best || cost < best.cost || (cost === best.cost && target.mmsi < best.mmsi))) best = { mmsi: target.mmsi, cost };
        }
      }
    }
    return best;
  }

  /** Normalised distance (0–3) of a radar update from a ship's dead-reckoned AIS state, or undefined outside the gate. */
  private gateCost(update: RadarUpdate, target: AisTarget): number | undefined {
    // The cheap gates first (speed, course: a few operations), the position (trigonometry) last; the
    // terms are added in the same order as ever so the cost is the same number.
    let speedTerm = 0;
    let courseTerm = 0;
    if (update.speed !== undefined && target.speed !== undefined) {
      const gate = FUSION.gateKnots + FUSION.gateSpeedShare * target.speed;
      const dv = Math.abs(update.speed - target.speed);
      if (dv > gate) return undefined;
      speedTerm = (dv / gate) ** 2;
      if (update.course !== undefined && target.course !== undefined && update.speed > FUSION.courseFromKnots && target.speed > FUSION.courseFromKnots) {
        const dc = Math.abs(((update.course - target.course + 540) % 360) - 180);
        if (dc > FUSION.gateDegrees) return undefined;
        courseTerm = (dc / FUSION.gateDegrees) ** 2;
      }
    }
    const dt = clampedDtSeconds(update, target);
    let lat = target.lat;
    let lon = target.lon;
    if (target.speed !== undefined && target.course !== undefined && target.speed > 0.5 && dt !== 0) {
      const predicted = destinationPoint(target.lat, target.lon, target.course, (target.speed * 1852 * dt) / 3600);
      lat = predicted.lat;
      lon = predicted.lon;
    }
    const d = distanceMeters(update.lat, update.lon, lat, lon);
    if (d > FUSION.gateMeters) return undefined;
    let cost = (d / FUSION.gateMeters) ** 2;
    if (update.speed !== undefined && target.speed !== undefined) {
      cost += speedTerm;
      if (update.course !== undefined && target.course !== undefined && update.speed > FUSION.courseFromKnots && target.speed > FUSION.courseFromKnots)
        cost += courseTerm;
    }
    return cost;
  }

  /** Takes the ship for this track, unless another track of the same radar holds it with a better record. */
  private claim(update: RadarUpdate, state: TrackState, mmsi: number, changes: FusionChange[]): boolean {
    const target = this.targets.get(mmsi)!;
    const holder = target.tracks.get(state.sensor);
    if (holder && holder !== update.track) {
      const other = this.tracks.get(holder);
      const otherHits = other?.recent.filter((entry) => entry.mmsi === mmsi).length ?? 0;
      const hits = state.recent.filter((entry) => entry.mmsi === mmsi).length;
      if (other && otherHits >= hits && (other.associated?.misses ?? 0) === 0) return false;
      if (other) this.release(holder, other, 'replaced', changes);
    }
    if (state.associated) this.release(update.track, state, 'replaced', changes);
    state.associated = { mmsi, misses: 0 };
    target.tracks.set(state.sensor, update.track);
    state.silentRaised = false;
    return true;
  }

  private release(track: string, state: TrackState, why: 'diverged' | 'track-gone' | 'ais-gone' | 'replaced', changes: FusionChange[]): void {
    const mmsi = state.associated!.mmsi;
    state.associated = undefined;
    const target = this.targets.get(mmsi);
    if (target?.tracks.get(state.sensor) === track) target.tracks.delete(state.sensor);
    changes.push({ kind: 'released', track, mmsi, why });
  }

  /** Why this unexplained track looks like a small boat, or undefined when it does not. */
  private darkReasons(update: RadarUpdate, state: TrackState): DarkReason[] | undefined {
    const reasons: DarkReason[] = ['no-ais', 'coastal-band'];
    const small = update.cls === 'small-boat';
    const meanSpeed = state.speeds.length > 0 ? state.speeds.reduce((a, b) => a + b, 0) / state.speeds.length : undefined;
    if (small) reasons.push('radar-small-boat');
    else if (update.cls === 'vessel' || meanSpeed === undefined || meanSpeed > FUSION.smallBoatMaxKnots) return undefined;
    else reasons.push('small-boat-speed');
    const leaving = state.firstCoastMeters !== undefined && state.firstCoastMeters <= FUSION.beachMeters && (update.coastMeters ?? 0) > state.firstCoastMeters;
    const loitering = meanSpeed !== undefined && state.speeds.length >= FUSION.window && meanSpeed < FUSION.loiterKnots;
    if (leaving) reasons.push('leaving-beach');
    if (loitering) reasons.push('loitering');
    return leaving || loitering ? reasons : undefined;
  }
}

/** How long a ship may go unheard before it is AIS silent: longer for one that reports only every 3 minutes. */
export function silentAfterMs(ship: Pick<AisUpdate, 'speed'>): number {
  return ship.speed === undefined || ship.speed <= FUSION.slowKnots ? FUSION.aisSilentSlowMs : FUSION.aisSilentMs;
}
