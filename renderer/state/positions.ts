// High-frequency picture data (tracks, unit positions) kept outside React:
// each picture (the live one, and the replayed one in replay mode; see
// picture.ts) has its own, and the canvas layer subscribes to the shown one
// and redraws once per animation frame, however many updates arrived, so
// 2,000 moving tracks never go through a render. Each track and unit also
// keeps a short trail of its previous fixes.
import type { TrackView, UnitView } from '../../shared/contract';

type Listener = () => void;

/** Previous fixes kept per track or unit, oldest first. */
export const TRAIL_POINTS = 6;

/** Flat [lat, lon, lat, lon, …] of the previous fixes, oldest first. */
export type Trail = number[];

export class Positions {
  readonly tracks = new Map<string, TrackView>();
  readonly units = new Map<string, UnitView>();
  // Apart, keyed by id: no `t:ID` string made per track per frame (issue 17).
  private readonly trackTrails = new Map<string, Trail>();
  private readonly unitTrails = new Map<string, Trail>();
  private readonly listeners = new Set<Listener>();

  reset(tracks: TrackView[], units: UnitView[]): void {
    this.tracks.clear();
    this.units.clear();
    this.trackTrails.clear();
    this.unitTrails.clear();
    for (const track of tracks) this.tracks.set(track.id, track);
    for (const unit of units) this.units.set(unit.id, unit);
    this.emit();
  }

  apply(tracks: TrackView[], removed: string[], units: UnitView[]): void {
    for (const track of tracks) {
      const previous = this.tracks.get(track.id);
      if (previous) this.extendTrail(this.trackTrails, track.id, previous.lat, previous.lon, track.lat, track.lon);
      this.tracks.set(track.id, track);
    }
    for (const id of removed) {
      this.tracks.delete(id);
      this.trackTrails.delete(id);
    }
    for (const unit of units) {
      const previous = this.units.get(unit.id);
      if (previous && previous.lat !== null && previous.lon !== null && unit.lat !== null && unit.lon !== null) {
        this.extendTrail(this.unitTrails, unit.id, previous.lat, previous.lon, unit.lat, unit.lon);
      }
      this.units.set(unit.id, unit);
    }
    if (tracks.length + removed.length + units.length > 0) this.emit();
  }

  trackTrail(id: string): Trail | undefined {
    return this.trackTrails.get(id);
  }

  unitTrail(id: string): Trail | undefined {
    return this.unitTrails.get(id);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private extendTrail(trails: Map<string, Trail>, key: string, lat: number, lon: number, nextLat: number, nextLon: number): void {
    if (lat === nextLat && lon === nextLon) return;
    let trail = trails.get(key);
    if (!trail) trails.set(key, (trail = []));
    trail.push(lat, lon);
    if (trail.length > TRAIL_POINTS * 2) trail.splice(0, 2);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
