// High-frequency picture data (tracks, unit positions) kept outside React:
// the canvas layer subscribes and redraws once per animation frame, however
// many updates arrived, so 2,000 moving tracks never go through a render.
import type { TrackView, UnitView } from '../../shared/contract';

type Listener = () => void;

class LiveStore {
  readonly tracks = new Map<string, TrackView>();
  readonly units = new Map<string, UnitView>();
  private readonly listeners = new Set<Listener>();

  reset(tracks: TrackView[], units: UnitView[]): void {
    this.tracks.clear();
    this.units.clear();
    for (const track of tracks) this.tracks.set(track.id, track);
    for (const unit of units) this.units.set(unit.id, unit);
    this.emit();
  }

  apply(tracks: TrackView[], removed: string[], units: UnitView[]): void {
    for (const track of tracks) this.tracks.set(track.id, track);
    for (const id of removed) this.tracks.delete(id);
    for (const unit of units) this.units.set(unit.id, unit);
    if (tracks.length + removed.length + units.length > 0) this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const liveStore = new LiveStore();
