// Outbound to units: each unit's terminal is reached on the connection it
// last spoke on (JSON lines over TCP or WebSocket, CoT over TCP or UDP), so
// assignments and status changes go back the way the unit's reports came.
import type { UnitStatus } from '../../../shared/domain';
import type { Site } from '../../../shared/site';
import { JSON_FEED_VERSION, type JsonOutbound } from '../../../shared/feeds/jsonLines';

export interface UnitLink {
  protocol: 'json' | 'cot';
  /** Sends one frame (a JSON line without its newline, or one CoT event). Returns false if it could not be sent. */
  send(frame: string | Buffer): boolean;
  isOpen(): boolean;
}

export interface AssignmentOrder {
  assignment: string;
  unit: string;
  incident: string;
  lat: number;
  lon: number;
  kind?: string;
  sector?: string;
  status: 'assigned' | 'cancelled' | 'cleared';
}

export type CotTaskingEncoder = (order: AssignmentOrder & { unitUid: string; callsign: string; now: number }) => string;

/** Field devices registered as units (devices/fieldDevices.ts): a unit's device uid and callsign. */
export interface RegisteredUnitDevices {
  deviceOfUnit(unit: string): { uid: string } | undefined;
  callsignOf(unit: string): string | undefined;
}

export class Outbound {
  private readonly links = new Map<string, UnitLink>();
  /** Field devices by id (registered or not): GeoChat goes back the way each device last spoke. */
  private readonly deviceLinks = new Map<string, UnitLink>();
  private readonly units: Map<string, Site['units'][number]>;

  constructor(
    site: Site,
    private readonly encodeCot: CotTaskingEncoder,
    private readonly now: () => number,
    private readonly registered?: RegisteredUnitDevices,
  ) {
    this.units = new Map(site.units.map((unit) => [unit.id, unit]));
  }

  /** Remembers how to reach a unit (called whenever a unit's message arrives). */
  bind(unit: string, link: UnitLink): void {
    if (this.links.get(unit) !== link) this.links.set(unit, link);
  }

  /** Remembers how to reach a field device (called whenever one of its messages arrives). */
  bindDevice(device: string, link: UnitLink): void {
    if (this.deviceLinks.get(device) !== link) this.deviceLinks.set(device, link);
  }

  unbind(link: UnitLink): void {
    for (const [unit, candidate] of this.links) if (candidate === link) this.links.delete(unit);
    // A TAK link wraps the socket's own: its isOpen() says when the socket is gone.
    for (const [device, candidate] of this.deviceLinks) if (candidate === link || !candidate.isOpen()) this.deviceLinks.delete(device);
  }

  /**
   * An open CoT link to a device: its own, else the link of the unit it is
   * (a registered device whose reports arrive as its unit's). Null when none.
   */
  cotLinkOf(device: string | undefined, unit: string | undefined): UnitLink | null {
    const own = device === undefined ? undefined : this.deviceLinks.get(device);
    if (own?.isOpen()) return own;
    const ofUnit = unit === undefined ? undefined : this.links.get(unit);
    return ofUnit?.isOpen() && ofUnit.protocol === 'cot' ? ofUnit : null;
  }

  reachable(unit: string): boolean {
    return this.links.get(unit)?.isOpen() ?? false;
  }

  /** Tells the unit's terminal about an assignment. False when the unit has no open link. */
  sendAssignment(order: AssignmentOrder): boolean {
    const link = this.links.get(order.unit);
    const unit = this.units.get(order.unit);
    if (!link || !link.isOpen()) return false;
    if (link.protocol === 'cot') {
      // A registered device answers for its unit first (it may have replaced the site file's terminal).
      const device = this.registered?.deviceOfUnit(order.unit);
      const uid = device?.uid ?? (unit?.device.protocol === 'cot' ? unit.device.uid : undefined);
      const callsign = unit?.callsign ?? this.registered?.callsignOf(order.unit);
      if (uid === undefined || callsign === undefined) return false;
      return link.send(this.encodeCot({ ...order, unitUid: uid, callsign, now: this.now() }));
    }
    if (!unit) return false;
    const time = new Date(this.now()).toISOString();
    const message: JsonOutbound =
      order.status === 'assigned'
        ? {
            v: JSON_FEED_VERSION,
            type: 'assignment',
            assignment: order.assignment,
            unit: order.unit,
            incident: order.incident,
            lat: order.lat,
            lon: order.lon,
            time,
            ...(order.kind ? { kind: order.kind as never } : {}),
            ...(order.sector ? { sector: order.sector } : {}),
          }
        : {
            v: JSON_FEED_VERSION,
            type: 'status',
            unit: order.unit,
            assignment: order.assignment,
            status: (order.status === 'cleared' ? 'cleared' : 'available') satisfies UnitStatus,
            time,
          };
    return link.send(JSON.stringify(message));
  }
}
