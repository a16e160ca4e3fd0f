// The layer control and its layers, named in the operator's language.
// react-leaflet reads a layer's name only when it is added to the control,
// so on a language change the overlays are re-added under their new names
// (keyed by language), each keeping the visibility the operator chose.
// (MapAccessibility, in MapChrome.tsx, puts the focus back if it was in them.)
import { useState } from 'react';
import { LayerGroup, LayersControl, useMapEvents } from 'react-leaflet';
import type { Sector, SensorView } from '../../shared/contract';
import type { PlainMessageKey } from '../i18n/messages';
import { useT } from '../i18n/useT';
import type { BaseMapData } from './baseMapData';
import { LandLayer } from './LandLayer';
import { MapPackBaseLayers } from './MapPackLayer';
import { effectiveChoice, useMapPacks } from './mapPacks';
import { useNeighbours } from './neighbours';
import { NeighboursLayer } from './NeighboursLayer';
import { PlacesLayer } from './PlacesLayer';
import { SectorsLayer } from './SectorsLayer';
import { SensorsLayer } from './SensorsLayer';
import { VesselsLayer } from './VesselsLayer';

type Overlay = 'sectors' | 'sensors' | 'places' | 'vessels' | 'neighbours';
const OVERLAY_NAMES: Record<Overlay, PlainMessageKey> = {
  sectors: 'layer.sectors',
  sensors: 'layer.sensors',
  places: 'layer.places',
  vessels: 'layer.vessels',
  neighbours: 'layer.neighbours',
};

interface MapLayersProps {
  baseMap: BaseMapData;
  sectors: Sector[];
  sensors: SensorView[];
  selectedId: string | null;
  onSelect(id: string): void;
}

export function MapLayers({ baseMap, sectors, sensors, selectedId, onSelect }: MapLayersProps) {
  const t = useT();
  const [visible, setVisible] = useState<Record<Overlay, boolean>>({ sectors: true, sensors: true, places: true, vessels: true, neighbours: true });
  // Only at a post with neighbours (docs/federation.md#neighbours).
  const hasNeighbours = useNeighbours((state) => state.neighbours.length > 0);
  // Map packs (issue 6): the coast is the base map unless a drawable pack was chosen.
  const chosenPack = effectiveChoice(useMapPacks((state) => state.list));
  const overlayNamed = (name: string) => (Object.keys(OVERLAY_NAMES) as Overlay[]).find((overlay) => t(OVERLAY_NAMES[overlay]) === name);

  useMapEvents({
    overlayadd: (event) => {
      const overlay = overlayNamed(event.name);
      if (overlay) setVisible((current) => ({ ...current, [overlay]: true }));
    },
    overlayremove: (event) => {
      const overlay = overlayNamed(event.name);
      if (overlay) setVisible((current) => ({ ...current, [overlay]: false }));
    },
  });

  return (
    <LayersControl position="topright">
      <LayersControl.BaseLayer key={`coast-${t.language}`} checked={chosenPack === null} name={t('layer.coast')}>
        <LandLayer land={baseMap.land} />
      </LayersControl.BaseLayer>
      <MapPackBaseLayers />
      <LayersControl.Overlay key={`sectors-${t.language}`} checked={visible.sectors} name={t('layer.sectors')}>
        <SectorsLayer sectors={sectors} selectedId={selectedId} onSelect={onSelect} />
      </LayersControl.Overlay>
      <LayersControl.Overlay key={`sensors-${t.language}`} checked={visible.sensors} name={t('layer.sensors')}>
        <SensorsLayer sensors={sensors} />
      </LayersControl.Overlay>
      <LayersControl.Overlay key={`places-${t.language}`} checked={visible.places} name={t('layer.places')}>
        <PlacesLayer places={baseMap.places} />
      </LayersControl.Overlay>
      <LayersControl.Overlay key={`vessels-${t.language}`} checked={visible.vessels} name={t('layer.vessels')}>
        <LayerGroup>
          <VesselsLayer />
        </LayerGroup>
      </LayersControl.Overlay>
      {hasNeighbours ? (
        <LayersControl.Overlay key={`neighbours-${t.language}`} checked={visible.neighbours} name={t('layer.neighbours')}>
          <NeighboursLayer />
        </LayersControl.Overlay>
      ) : null}
    </LayersControl>
  );
}
