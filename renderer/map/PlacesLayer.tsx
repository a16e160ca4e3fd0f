// Place names. Big towns at every zoom, villages once zoomed in, so the
// labels never pile up over the sectors.
import { useState } from 'react';
import { CircleMarker, LayerGroup, Tooltip, useMapEvents } from 'react-leaflet';
import type { Place } from './baseMapData';

function minZoomFor(population: number): number {
  if (population >= 20_000) return 0;
  if (population >= 5_000) return 11;
  return 12;
}

export function PlacesLayer({ places }: { places: Place[] }) {
  const [zoom, setZoom] = useState<number | null>(null);
  const map = useMapEvents({ zoomend: () => setZoom(map.getZoom()) });
  const current = zoom ?? map.getZoom();
  return (
    <LayerGroup>
      {places
        .filter((place) => minZoomFor(place.properties.population) <= current)
        .map((place) => {
          const [lon, lat] = place.geometry.coordinates;
          return (
            <CircleMarker
              key={`${place.properties.name}-${lon}-${lat}`}
              center={[lat, lon]}
              radius={2}
              interactive={false}
              pathOptions={{ color: '#8796a8', weight: 1, fillOpacity: 1 }}
            >
              <Tooltip permanent direction="right" offset={[4, 0]} className="place-label">
                {place.properties.name}
              </Tooltip>
            </CircleMarker>
          );
        })}
    </LayerGroup>
  );
}
