// Whether a unit may be sent to an incident: a unit already on it is not sent
// twice, and a unit committed elsewhere is taken off only with an override
// (its current assignment is then withdrawn and logged as cancelled).
import type { LivePicture } from '../picture/livePicture';
import { Refusal } from '../refusal';

/** The assignment sending the unit withdraws (null for a free unit); a refusal when it may not be sent. */
export function checkSending(picture: LivePicture, unitId: string, incidentId: string, override: boolean): string | null {
  const unit = picture.units.get(unitId);
  if (!unit) throw new Refusal('unit-unknown', { unit: unitId }, `no unit ${unitId}`);
  if (unit.assignment === null) return null;
  const current = picture.assignments.get(unit.assignment)?.incident ?? unit.assignment;
  if (current === incidentId)
    throw new Refusal('unit-already-assigned', { unit: unit.callsign, incident: incidentId }, `${unit.callsign} is already assigned to ${incidentId}`);
  if (!override)
    throw new Refusal(
      'unit-committed',
      { unit: unit.callsign, incident: current },
      `${unit.callsign} is committed to ${current}; assign with override to send it anyway`,
    );
  return unit.assignment;
}
