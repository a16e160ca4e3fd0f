// The map's keyboard actions (F follow, Z fit to the incident), shared by the
// shortcuts and the buttons.
import { shownPicture, useConsole } from '../state/store';

const store = () => useConsole.getState();

/** F: follow the picked track or unit, or stop following it. */
export function toggleFollow(): void {
  const { picked, following } = store();
  if (picked) store().setFollowing(!following);
}

/** Picks a unit on the map and keeps it in view ("show" in the panels). */
export function showUnit(unit: string): void {
  store().pick({ kind: 'unit', id: unit }, true);
}

/** Z: the selected incident, its alerts and the units sent to it, all in view (in the picture shown). */
export function fitToIncident(): void {
  const { selectedIncident } = store();
  const { incidents, alerts, positions } = shownPicture();
  const incident = incidents.find((candidate) => candidate.id === selectedIncident);
  if (!incident) return;
  const points: [number, number][] = [[incident.lat, incident.lon]];
  for (const id of incident.alerts) {
    const alert = alerts.find((candidate) => candidate.id === id);
    if (alert && alert.lat !== null && alert.lon !== null) points.push([alert.lat, alert.lon]);
  }
  for (const assignment of incident.assignments) {
    if (assignment.status === 'cleared') continue;
    const unit = positions.units.get(assignment.unit);
    if (unit && unit.lat !== null && unit.lon !== null) points.push([unit.lat, unit.lon]);
  }
  store().fitMapTo(points);
}
