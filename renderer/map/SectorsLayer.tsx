// Beach sectors from the core's picture: a polygon each, labelled with its
// name once zoomed in (its id at overview zoom, where names would overlap).
import { useState } from 'react';
import { LayerGroup, Polygon, Tooltip, useMapEvents } from 'react-leaflet';
import type { Sector } from '../../shared/contract';
import { sectorStyle } from './mapStyle';

const NAMES_FROM_ZOOM = 11;

export function SectorsLayer({ sectors, selectedId, onSelect }: { sectors: Sector[]; selectedId: string | null; onSelect(id: string): void }) {
  const [zoom, setZoom] = useState<number | null>(null);
  const map = useMapEvents({ zoomend: () => setZoom(map.getZoom()) });
  const showNames = (zoom ?? map.getZoom()) >= NAMES_FROM_ZOOM;
  return (
    <LayerGroup>
      {sectors.map((sector) => (
        <Polygon
          key={sector.id}
          positions={sector.ring.map(([lon, lat]) => [lat, lon] as [number, number])}
          pathOptions={sectorStyle(sector.risk, sector.id === selectedId)}
          eventHandlers={{ click: () => onSelect(sector.id) }}
        >
          <Tooltip permanent direction="center" className={`sector-label risk-${sector.risk}`}>
            <span data-sector-id={sector.id} title={`${sector.id} · ${sector.name}`}>
              {showNames ? sector.name : sector.id.replace(/^S0?/, '')}
            </span>
          </Tooltip>
        </Polygon>
      ))}
    </LayerGroup>
  );
}
