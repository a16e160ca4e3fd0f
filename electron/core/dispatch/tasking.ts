// Telling a unit's terminal about its tasking: a new assignment, or that its
// current one is cancelled or cleared. Reached through the outbound feed on
// the connection the unit last spoke on; false when it cannot be reached.
import type { Outbound } from '../feeds/outbound';
import type { LivePicture } from '../picture/livePicture';

export class UnitTasking {
  constructor(
    private readonly picture: LivePicture,
    private readonly outbound: Outbound,
  ) {}

  reachable(unitId: string): boolean {
    return this.outbound.reachable(unitId);
  }

  /** Sends a new assignment to the unit, with the kind of its incident's first alert and its sector. */
  assign(assignment: string, unitId: string, incidentId: string): boolean {
    const incident = this.picture.incidents.get(incidentId);
    if (!incident) return false;
    const first = incident.alerts.map((id) => this.picture.alerts.get(id)).find((a) => a !== undefined);
    return this.outbound.sendAssignment({
      assignment,
      unit: unitId,
      incident: incidentId,
      lat: incident.lat,
      lon: incident.lon,
      kind: first && first.kind !== 'sensor-silent' ? first.kind : undefined,
      sector: incident.sector ?? undefined,
      status: 'assigned',
    });
  }

  /** Tells the unit its current assignment is cleared or cancelled. */
  tell(unitId: string, status: 'cleared' | 'cancelled'): boolean {
    return this.later(unitId, status)();
  }

  /**
   * The same message, taken now and sent when called: an action is logged
   * first and the unit told after, so a terminal never hears of a change the
   * log refused — and by then the picture no longer holds the assignment.
   */
  later(unitId: string, status: 'cleared' | 'cancelled'): () => boolean {
    const unit = this.picture.units.get(unitId);
    const assignment = unit?.assignment ? this.picture.assignments.get(unit.assignment) : undefined;
    if (!assignment) return () => false;
    const order = { assignment: assignment.id, unit: unitId, incident: assignment.incident, lat: assignment.lat, lon: assignment.lon, status };
    return () => this.outbound.sendAssignment(order);
  }
}
