// The operator's map: the offline coast, beach sectors and place names, with
// a layer control, a scale and the cursor's coordinates. M gives it the
// focus; Leaflet's own keys then pan (arrows) and zoom (+ −).
import 'leaflet/dist/leaflet.css';
import { MapContainer, ScaleControl } from 'react-leaflet';
import { useT } from '../i18n/useT';
import { useShownPicture } from '../state/store';
import type { BaseMapData } from './baseMapData';
import { CursorReadout } from './CursorReadout';
import { CursorTracker, DataAttribution, FitToSector, FitToTarget, MapAccessibility } from './MapChrome';
import { PickedInfo } from './PickedInfo';
import { AlertPulseLayer } from './AlertPulseLayer';
import { FieldLayer } from '../devices/FieldLayer';
import { LiveLayer } from './LiveLayer';
import { MapLayers } from './MapLayers';
import { MapTools } from './MapTools';
import { SEA_COLOUR } from './mapStyle';
import { SectorDrawLayer } from '../sectors/SectorDrawLayer';

/** Centre of the Dover Strait, seen from the French side. */
export const STRAIT_CENTRE: [number, number] = [50.74, 1.72];
export const INITIAL_ZOOM = 10;

export function CoastMap({ baseMap, selectedId, onSelect }: { baseMap: BaseMapData; selectedId: string | null; onSelect(id: string): void }) {
  const t = useT();
  const sectors = useShownPicture((picture) => picture.sectors);
  const sensors = useShownPicture((picture) => picture.sensors);
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
        <MapLayers baseMap={baseMap} sectors={sectors} sensors={sensors} selectedId={selectedId} onSelect={onSelect} />
        <ScaleControl imperial={false} position="bottomright" />
        <DataAttribution text={baseMap.attribution} />
        <LiveLayer />
        <AlertPulseLayer />
        <FieldLayer />
        <CursorTracker />
        <MapTools places={baseMap.places} />
        <SectorDrawLayer />
        <FitToSector sector={sectors.find((sector) => sector.id === selectedId)} />
        <FitToTarget />
        {/* Last: it runs after the layers were re-added under their new names. */}
        <MapAccessibility t={t} />
      </MapContainer>
      <CursorReadout />
      <PickedInfo />
    </div>
  );
}
