// The ships heard on AIS, as a projection of the log: what each MMSI said
// about itself (ais.static), where it is (ais.position), and which radar
// track fusion gave it (ais.associated / ais.released). Like the live
// picture, it runs inside each append transaction, writes the changed rows
// to its table (`vessels`), and remembers what changed for the consoles.
import type { VesselView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { StoredEvent } from '../log/hashChain';
import { storedPayload, type EventKind } from '../log/eventCatalogue';

/** A ship not heard for this long leaves the picture (an `ais.expired` event says so). */
export const VESSEL_EXPIRY_MS = 20 * 60_000;

function emptyVessel(mmsi: number): VesselView {
  return {
    mmsi,
    name: null,
    callsign: null,
    imo: null,
    shipType: null,
    length: null,
    beam: null,
    destination: null,
    eta: null,
    draught: null,
    nav: null,
    lat: null,
    lon: null,
    course: null,
    speed: null,
    heading: null,
    time: null,
    track: null,
    confidence: null,
  };
}

/** A ship as a snapshot holds it. */
export type VesselState = VesselView & { heard: number };

export class VesselPicture {
  readonly vessels = new Map<number, VesselView>();
  /** When each ship was last heard at all (static or position), for expiry. */
  private readonly heard = new Map<number, number>();
  private readonly dirty = new Set<number>();
  private readonly pending = new Set<number>();
  private readonly removed = new Set<number>();
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      upsert: db.prepare('INSERT INTO vessels (mmsi, view) VALUES (?, ?) ON CONFLICT (mmsi) DO UPDATE SET view = excluded.view'),
      remove: db.prepare('DELETE FROM vessels WHERE mmsi = ?'),
    };
    this.load();
  }

  private load(): void {
    for (const row of this.db.prepare('SELECT mmsi, view FROM vessels').all() as { mmsi: number; view: string }[]) {
      const view = { ...emptyVessel(row.mmsi), ...(JSON.parse(row.view) as Partial<VesselView> & { heard?: number }) };
      const { heard, ...vessel } = view as VesselView & { heard?: number };
      this.vessels.set(row.mmsi, vessel);
      this.heard.set(row.mmsi, heard ?? vessel.time ?? 0);
    }
  }

  /** After a rolled-back block: read the committed state again, and send it all with the next delta. */
  reload(): void {
    this.vessels.clear();
    this.heard.clear();
    this.dirty.clear();
    this.pending.clear();
    this.removed.clear();
    this.load();
    for (const mmsi of this.vessels.keys()) this.pending.add(mmsi);
  }

  /** Projector for EventLog.addProjector. */
  readonly project = (events: readonly StoredEvent[]): void => {
    for (const event of events) this.apply(event);
    for (const mmsi of this.dirty) {
      const vessel = this.vessels.get(mmsi);
      if (vessel) this.statements.upsert.run(mmsi, JSON.stringify({ ...vessel, heard: this.heard.get(mmsi) }));
    }
    this.dirty.clear();
  };

  private vessel(mmsi: number, time: number): VesselView {
    let vessel = this.vessels.get(mmsi);
    if (!vessel) this.vessels.set(mmsi, (vessel = emptyVessel(mmsi)));
    this.heard.set(mmsi, time);
    this.removed.delete(mmsi);
    return vessel;
  }

  private touch(mmsi: number): void {
    this.dirty.add(mmsi);
    this.pending.add(mmsi);
  }

  private apply(event: StoredEvent): void {
    switch (event.kind as EventKind) {
      case 'ais.position': {
        const p = storedPayload<'ais.position'>(event);
        // The receiver's own ship (VDO) is not a target.
        if (p.own) return;
        const vessel = this.vessel(p.m, event.time);
        vessel.nav = p.nav ?? vessel.nav;
        if (p.lat !== undefined && p.lon !== undefined) {
          vessel.lat = p.lat;
          vessel.lon = p.lon;
          vessel.course = p.cog ?? null;
          vessel.speed = p.sog ?? null;
          vessel.heading = p.hdg ?? null;
          vessel.time = event.time;
        }
        return this.touch(p.m);
      }
      case 'ais.static': {
        const p = storedPayload<'ais.static'>(event);
        const vessel = this.vessel(p.m, event.time);
        // Type 24 comes in halves and type 19 says less than type 5: each keeps what the others said.
        if (p.name !== undefined) vessel.name = p.name;
        if (p.cs !== undefined) vessel.callsign = p.cs;
        if (p.imo !== undefined) vessel.imo = p.imo;
        if (p.ty !== undefined) vessel.shipType = p.ty;
        if (p.bow !== undefined || p.stn !== undefined) vessel.length = (p.bow ?? 0) + (p.stn ?? 0);
        if (p.prt !== undefined || p.stb !== undefined) vessel.beam = (p.prt ?? 0) + (p.stb ?? 0);
        if (p.msg === 5) {
          vessel.destination = p.dest ?? null;
          vessel.eta = p.eta ?? null;
          vessel.draught = p.dr ?? null;
        }
        return this.touch(p.m);
      }
      case 'ais.associated': {
        const p = storedPayload<'ais.associated'>(event);
        const vessel = this.vessels.get(p.m);
        if (!vessel) return;
        vessel.track = p.t;
        vessel.confidence = p.conf;
        return this.touch(p.m);
      }
      case 'ais.released': {
        const p = storedPayload<'ais.released'>(event);
        const vessel = this.vessels.get(p.m);
        if (!vessel || vessel.track !== p.t) return;
        vessel.track = null;
        vessel.confidence = null;
        return this.touch(p.m);
      }
      case 'ais.expired':
        for (const mmsi of storedPayload<'ais.expired'>(event).m) {
          if (!this.vessels.delete(mmsi)) continue;
          this.heard.delete(mmsi);
          this.dirty.delete(mmsi);
          this.pending.delete(mmsi);
          this.removed.add(mmsi);
          this.statements.remove.run(mmsi);
        }
        return;
      default:
        return;
    }
  }

  /** Ships not heard for VESSEL_EXPIRY_MS. */
  expired(now: number): number[] {
    const out: number[] = [];
    for (const [mmsi, time] of this.heard) if (now - time > VESSEL_EXPIRY_MS) out.push(mmsi);
    return out;
  }

  list(): VesselView[] {
    return [...this.vessels.values()];
  }

  /** Every ship with when it was last heard: what a picture snapshot keeps for replay (replay/snapshots.ts). */
  state(): VesselState[] {
    return [...this.vessels.values()].map((vessel) => ({ ...vessel, heard: this.heard.get(vessel.mmsi) ?? vessel.time ?? 0 }));
  }

  /** Fills an empty projection from a snapshot (rows are copied: a snapshot may be restored again). */
  restore(rows: readonly VesselState[]): void {
    for (const row of rows) {
      const { heard, ...vessel } = structuredClone(row);
      this.vessels.set(vessel.mmsi, vessel);
      this.heard.set(vessel.mmsi, heard);
      this.statements.upsert.run(vessel.mmsi, JSON.stringify(row));
    }
  }

  /** What changed since the last call, or null. */
  takeDelta(): { vessels: VesselView[]; vesselsRemoved: number[] } | null {
    if (this.pending.size === 0 && this.removed.size === 0) return null;
    const delta = {
      vessels: [...this.pending].map((mmsi) => this.vessels.get(mmsi)).filter((vessel): vessel is VesselView => vessel !== undefined),
      vesselsRemoved: [...this.removed],
    };
    this.pending.clear();
    this.removed.clear();
    return delta;
  }
}
