// The map's small instruments: attribution of the shipped data, the cursor's
// coordinates, and fitting the view to the selected sector.
import L from 'leaflet';
import { useEffect } from 'react';
import { useMap, useMapEvents } from 'react-leaflet';
import type { Sector } from '../../shared/contract';
import { useConsole } from '../state/store';

export function DataAttribution({ text }: { text: string }) {
  const map = useMap();
  useEffect(() => {
    // Leaflet's default prefix is a link to its website; a console that never
    // leaves the machine names it in plain text instead.
    map.attributionControl.setPrefix('Leaflet');
    map.attributionControl.addAttribution(text);
    return () => {
      map.attributionControl.removeAttribution(text);
    };
  }, [map, text]);
  return null;
}

export function CursorTracker() {
  const setCursor = useConsole((state) => state.setCursor);
  useMapEvents({
    mousemove: (event) => setCursor({ lat: event.latlng.lat, lon: event.latlng.lng }),
    mouseout: () => setCursor(null),
  });
  return null;
}

export function FitToSector({ sector }: { sector: Sector | undefined }) {
  const map = useMap();
  useEffect(() => {
    if (!sector) return;
    const bounds = L.latLngBounds(sector.ring.map(([lon, lat]) => [lat, lon] as [number, number]));
    map.flyToBounds(bounds, { maxZoom: 13, padding: [40, 40], duration: 0.6 });
  }, [map, sector]);
  return null;
}
