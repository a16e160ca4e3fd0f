// Ships heard on AIS: an arrow along the ship's heading (its course when it
// sends no heading), coloured by ship type, with its name beside it. Kept in
// step with the shown picture's `vessels` (live, or the replayed moment's)
// outside React's render cycle (a
// marker per ship, moved or restyled only when its ship changed); a click
// picks the ship for the card (PickedInfo). Only ships in view get a marker;
// past MAX_VESSEL_MARKERS of them the canvas draws them instead
// (vesselsOnCanvas.ts).
import L from 'leaflet';
import { useEffect } from 'react';
import { useLeafletContext } from '@react-leaflet/core';
import type { VesselView } from '../../shared/contract';
import { shownPicture, useConsole } from '../state/store';
import { VESSEL_COLOUR, vesselCategory } from '../state/vessels';
import { MAX_VESSEL_MARKERS, notifyVesselsOnCanvas, setVesselsOnCanvas } from './vesselsOnCanvas';

function iconFor(vessel: VesselView, picked: boolean): L.DivIcon {
  const colour = VESSEL_COLOUR[vesselCategory(vessel.shipType)];
  // Turned by rotate() below, not here: a new course must not rebuild the icon.
  const symbol = isMoving(vessel)
    ? `<svg width="18" height="18" viewBox="-9 -9 18 18"><path d="M0 -8 L5 6 L0 3 L-5 6 Z" fill="${colour}" stroke="#0b1220" stroke-width="1"/></svg>`
    : `<svg width="12" height="12" viewBox="-6 -6 12 12"><circle r="4" fill="${colour}" stroke="#0b1220" stroke-width="1"/></svg>`;
  const name = escapeHtml(vessel.name ?? String(vessel.mmsi));
  return L.divIcon({
    className: `vessel-marker${picked ? ' picked' : ''}${vessel.track ? ' fused' : ''}`,
    html: `${symbol}<span class="vessel-name" data-testid="vessel-name">${name}</span>`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
  });
}

const isMoving = (vessel: VesselView) => vessel.heading !== null || (vessel.speed ?? 0) > 0.5;
/** Where the arrow points, whole degrees; null for the dot of a ship that does not move. */
const directionOf = (vessel: VesselView) => (isMoving(vessel) ? Math.round(vessel.heading ?? vessel.course ?? 0) : null);

/** Points a marker's arrow. (Setting the style of one element: at 2,500 ships, rebuilding the icon's HTML on every turn of a degree was a sixth of the page's time, issue 17.) */
function rotate(marker: L.Marker, direction: number | null): void {
  const svg = marker.getElement()?.firstElementChild as SVGElement | null | undefined;
  if (svg && direction !== null) svg.style.transform = `rotate(${direction}deg)`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** What a ship looks like on the map: a change here is what makes its icon be redrawn. */
const looks = (vessel: VesselView, picked: boolean) => `${vessel.name}|${vessel.shipType}|${isMoving(vessel)}|${vessel.track}|${picked}`;

export function VesselsLayer() {
  const { layerContainer, map } = useLeafletContext();
  // Entering or leaving replay, or choosing another shift, gives another set of ships: the layer starts again with it.
  const vessels = useConsole((state) => shownPicture(state).vessels);
  useEffect(() => {
    const container = layerContainer ?? map;
    const markers = new Map<number, { marker: L.Marker; looks: string; direction: number | null }>();
    const update = () => {
      const pickedMmsi = (() => {
        const picked = useConsole.getState().picked;
        return picked?.kind === 'vessel' ? Number(picked.id) : null;
      })();
      // The view with a margin, as numbers: no object per ship.
      const bounds = map.getBounds().pad(0.1);
      const [south, west, north, east] = [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()];
      const inView = (vessel: VesselView) =>
        vessel.lat !== null && vessel.lon !== null && vessel.lat >= south && vessel.lat <= north && vessel.lon >= west && vessel.lon <= east;
      let count = 0;
      for (const vessel of vessels.byMmsi.values()) if (inView(vessel)) count += 1;
      const onCanvas = count > MAX_VESSEL_MARKERS;
      setVesselsOnCanvas(onCanvas);
      if (onCanvas) notifyVesselsOnCanvas();
      // A marker for a ship in view (on the canvas: the picked one only, with its name and ring).
      const wanted = (vessel: VesselView) => (onCanvas ? vessel.mmsi === pickedMmsi && inView(vessel) : inView(vessel));
      for (const [mmsi, entry] of markers) {
        const vessel = vessels.byMmsi.get(mmsi);
        if (vessel && wanted(vessel)) continue;
        container.removeLayer(entry.marker);
        markers.delete(mmsi);
      }
      for (const vessel of vessels.byMmsi.values()) {
        // Without a position (never sent one, or "not available"), a ship is in the search but not on the map.
        if (vessel.lat === null || vessel.lon === null || !wanted(vessel)) continue;
        const picked = vessel.mmsi === pickedMmsi;
        const look = looks(vessel, picked);
        const entry = markers.get(vessel.mmsi);
        if (!entry) {
          const marker = L.marker([vessel.lat, vessel.lon], { icon: iconFor(vessel, picked), keyboard: false, riseOnHover: true, pane: 'markerPane' });
          marker.on('click', () => useConsole.getState().pick({ kind: 'vessel', id: String(vessel.mmsi) }));
          container.addLayer(marker);
          marker.getElement()?.setAttribute('data-mmsi', String(vessel.mmsi));
          const direction = directionOf(vessel);
          rotate(marker, direction);
          markers.set(vessel.mmsi, { marker, looks: look, direction });
          continue;
        }
        entry.marker.setLatLng([vessel.lat, vessel.lon]);
        const direction = directionOf(vessel);
        if (entry.looks !== look) {
          entry.marker.setIcon(iconFor(vessel, picked));
          entry.marker.getElement()?.setAttribute('data-mmsi', String(vessel.mmsi));
          entry.looks = look;
          rotate(entry.marker, direction);
        } else if (entry.direction !== direction) rotate(entry.marker, direction);
        entry.direction = direction;
      }
    };
    update();
    map.on('moveend', update);
    const unsubscribe = vessels.subscribe(update);
    const unsubscribePick = useConsole.subscribe((state, previous) => {
      if (state.picked !== previous.picked) update();
    });
    return () => {
      map.off('moveend', update);
      setVesselsOnCanvas(false);
      unsubscribe();
      unsubscribePick();
      for (const entry of markers.values()) container.removeLayer(entry.marker);
      markers.clear();
    };
  }, [layerContainer, map, vessels]);
  return null;
}
