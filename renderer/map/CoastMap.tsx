// The operator's map: the offline coast, beach sectors and place names, with
// a layer control, a scale and the cursor's coordinates.
import 'leaflet/dist/leaflet.css';
import { LayersControl, MapContainer, ScaleControl } from 'react-leaflet';
import { useConsole } from '../state/store';
import type { BaseMapData } from './baseMapData';
import { CursorReadout } from './CursorReadout';
import { LandLayer } from './LandLayer';
import { CursorTracker, DataAttribution, FitToSector } from './MapChrome';
import { PlacesLayer } from './PlacesLayer';
import { LiveLayer } from './LiveLayer';
import { SectorsLayer } from './SectorsLayer';
import { SensorsLayer } from './SensorsLayer';
import { SEA_COLOUR } from './mapStyle';

/** Centre of the Dover Strait, seen from the French side. */
export const STRAIT_CENTRE: [number, number] = [50.74, 1.72];
export const INITIAL_ZOOM = 10;

export function CoastMap({ baseMap, selectedId, onSelect }: { baseMap: BaseMapData; selectedId: string | null; onSelect(id: string): void }) {
  const sectors = useConsole((state) => state.sectors);
  const sensors = useConsole((state) => state.sensors);
  return (
    <div className="map-frame">
      <MapContainer
        center={STRAIT_CENTRE}
        zoom={INITIAL_ZOOM}
        minZoom={8}
        maxZoom={15}
        maxBounds={[
          [49.7, 0.2],
          [51.7, 3.6],
        ]}
        style={{ background: SEA_COLOUR }}
        className="coast-map"
        attributionControl
      >
        <LayersControl position="topright">
          <LayersControl.BaseLayer checked name="Coast (offline)">
            <LandLayer land={baseMap.land} />
          </LayersControl.BaseLayer>
          <LayersControl.Overlay checked name="Beach sectors">
            <SectorsLayer sectors={sectors} selectedId={selectedId} onSelect={onSelect} />
          </LayersControl.Overlay>
          <LayersControl.Overlay checked name="Sensors and coverage">
            <SensorsLayer sensors={sensors} />
          </LayersControl.Overlay>
          <LayersControl.Overlay checked name="Place names">
            <PlacesLayer places={baseMap.places} />
          </LayersControl.Overlay>
        </LayersControl>
        <ScaleControl imperial={false} position="bottomright" />
        <DataAttribution text={baseMap.attribution} />
        <LiveLayer />
        <CursorTracker />
        <FitToSector sector={sectors.find((sector) => sector.id === selectedId)} />
      </MapContainer>
      <CursorReadout />
    </div>
  );
}
