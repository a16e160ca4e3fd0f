// Ships heard on AIS: an arrow along the ship's heading (its course when it
// sends no heading), coloured by ship type, with its name beside it. Kept in
// step with the shown picture's `vessels` (live, or the replayed moment's)
// outside React's render cycle (a
// marker per ship, moved or restyled only when its ship changed); a click
// picks the ship for the card (PickedInfo).
import L from 'leaflet';
import { useEffect } from 'react';
import { useLeafletContext } from '@react-leaflet/core';
import type { VesselView } from '../../shared/contract';
import { shownPicture, useConsole } from '../state/store';
import { VESSEL_COLOUR, vesselCategory } from '../state/vessels';

function iconFor(vessel: VesselView, picked: boolean): L.DivIcon {
  const colour = VESSEL_COLOUR[vesselCategory(vessel.shipType)];
  const direction = vessel.heading ?? vessel.course ?? 0;
  const moving = vessel.heading !== null || (vessel.speed ?? 0) > 0.5;
  const symbol = moving
    ? `<svg width="18" height="18" viewBox="-9 -9 18 18" style="transform: rotate(${direction}deg)"><path d="M0 -8 L5 6 L0 3 L-5 6 Z" fill="${colour}" stroke="#0b1220" stroke-width="1"/></svg>`
    : `<svg width="12" height="12" viewBox="-6 -6 12 12"><circle r="4" fill="${colour}" stroke="#0b1220" stroke-width="1"/></svg>`;
  const name = escapeHtml(vessel.name ?? String(vessel.mmsi));
  return L.divIcon({
    className: `vessel-marker${picked ? ' picked' : ''}${vessel.track ? ' fused' : ''}`,
    html: `${symbol}<span class="vessel-name" data-testid="vessel-name">${name}</span>`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** What a ship looks like on the map: a change here is what makes its icon be redrawn. */
const looks = (vessel: VesselView, picked: boolean) =>
  `${vessel.name}|${vessel.shipType}|${vessel.heading}|${Math.round(vessel.course ?? -1)}|${vessel.track}|${picked}`;

export function VesselsLayer() {
  const { layerContainer, map } = useLeafletContext();
  // Entering or leaving replay, or choosing another shift, gives another set of ships: the layer starts again with it.
  const vessels = useConsole((state) => shownPicture(state).vessels);
  useEffect(() => {
    const container = layerContainer ?? map;
    const markers = new Map<number, { marker: L.Marker; looks: string }>();
    const update = () => {
      const pickedMmsi = (() => {
        const picked = useConsole.getState().picked;
        return picked?.kind === 'vessel' ? Number(picked.id) : null;
      })();
      for (const [mmsi, entry] of markers) {
        const vessel = vessels.byMmsi.get(mmsi);
        if (vessel && vessel.lat !== null && vessel.lon !== null) continue;
        container.removeLayer(entry.marker);
        markers.delete(mmsi);
      }
      for (const vessel of vessels.byMmsi.values()) {
        // Without a position (never sent one, or "not available"), a ship is in the search but not on the map.
        if (vessel.lat === null || vessel.lon === null) continue;
        const picked = vessel.mmsi === pickedMmsi;
        const look = looks(vessel, picked);
        const entry = markers.get(vessel.mmsi);
        if (!entry) {
          const marker = L.marker([vessel.lat, vessel.lon], { icon: iconFor(vessel, picked), keyboard: false, riseOnHover: true, pane: 'markerPane' });
          marker.on('click', () => useConsole.getState().pick({ kind: 'vessel', id: String(vessel.mmsi) }));
          container.addLayer(marker);
          marker.getElement()?.setAttribute('data-mmsi', String(vessel.mmsi));
          markers.set(vessel.mmsi, { marker, looks: look });
          continue;
        }
        entry.marker.setLatLng([vessel.lat, vessel.lon]);
        if (entry.looks !== look) {
          entry.marker.setIcon(iconFor(vessel, picked));
          entry.marker.getElement()?.setAttribute('data-mmsi', String(vessel.mmsi));
          entry.looks = look;
        }
      }
    };
    update();
    const unsubscribe = vessels.subscribe(update);
    const unsubscribePick = useConsole.subscribe((state, previous) => {
      if (state.picked !== previous.picked) update();
    });
    return () => {
      unsubscribe();
      unsubscribePick();
      for (const entry of markers.values()) container.removeLayer(entry.marker);
      markers.clear();
    };
  }, [layerContainer, map, vessels]);
  return null;
}
