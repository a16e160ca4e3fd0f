// The ships heard on AIS in a picture, by MMSI: changed in place as deltas
// arrive (like `positions`), with listeners of their own, so the map's vessel
// layer updates without React renders. The live picture and a replayed one
// each have their own.
import type { VesselView } from '../../shared/contract';

export class Vessels {
  readonly byMmsi = new Map<number, VesselView>();
  private readonly listeners = new Set<() => void>();

  reset(vessels: readonly VesselView[]): void {
    this.byMmsi.clear();
    for (const vessel of vessels) this.byMmsi.set(vessel.mmsi, vessel);
    this.notify();
  }

  apply(changed: readonly VesselView[], removed: readonly number[]): void {
    if (changed.length === 0 && removed.length === 0) return;
    for (const vessel of changed) this.byMmsi.set(vessel.mmsi, vessel);
    for (const mmsi of removed) this.byMmsi.delete(mmsi);
    this.notify();
  }

  /** The ship fused with a radar track, if any. */
  ofTrack(track: string): VesselView | undefined {
    for (const vessel of this.byMmsi.values()) if (vessel.track === track) return vessel;
    return undefined;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Ship type (ITU-R M.1371 table 53) → the category the map colours it by. */
export type VesselCategory = 'passenger' | 'cargo' | 'tanker' | 'fishing' | 'service' | 'high-speed' | 'pleasure' | 'other';

export function vesselCategory(shipType: number | null): VesselCategory {
  if (shipType === null) return 'other';
  if (shipType >= 60 && shipType <= 69) return 'passenger';
  if (shipType >= 70 && shipType <= 79) return 'cargo';
  if (shipType >= 80 && shipType <= 89) return 'tanker';
  if (shipType === 30) return 'fishing';
  if (shipType === 36 || shipType === 37) return 'pleasure';
  if ((shipType >= 31 && shipType <= 35) || (shipType >= 50 && shipType <= 59)) return 'service';
  if (shipType >= 40 && shipType <= 49) return 'high-speed';
  return 'other';
}

export const VESSEL_COLOUR: Record<VesselCategory, string> = {
  passenger: '#4aa3ff',
  cargo: '#5cc48a',
  tanker: '#e0604a',
  fishing: '#e0b84a',
  service: '#5fd0d0',
  'high-speed': '#c77dff',
  pleasure: '#ff8fd0',
  other: '#b0bcc8',
};
