// Map packs as base layers of the layer control, beside the bundled coast
// (which always stays). A pack's tiles come from the core under the
// per-launch tile path of maps.list; picking a base layer in the control is
// sent to the core, which remembers it.
import { LayersControl, TileLayer, useMapEvents } from 'react-leaflet';
import type { MapPackView } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { asHtmlText, chooseBaseMap, drawablePacks, effectiveChoice, layerNames, useMapPacks } from './mapPacks';

export function MapPackLayer({ pack, tilePath }: { pack: MapPackView; tilePath: string }) {
  const [west, south, east, north] = pack.bounds ?? [-180, -85.06, 180, 85.06];
  return (
    <TileLayer
      url={`${tilePath}/${pack.id}/{z}/{x}/{y}`}
      minNativeZoom={pack.minZoom ?? 0}
      maxNativeZoom={pack.maxZoom ?? 18}
      bounds={[
        [south, west],
        [north, east],
      ]}
      attribution={pack.attribution ? asHtmlText(pack.attribution) : undefined}
      className="map-pack-tiles"
      // A missing tile stays empty (the sea colour shows), never a broken-image icon.
      errorTileUrl="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
    />
  );
}

/** One base layer per drawable pack, inside MapLayers' LayersControl. */
export function MapPackBaseLayers() {
  const t = useT();
  const list = useMapPacks((state) => state.list);
  const packs = drawablePacks(list);
  const names = layerNames(packs);
  const chosen = effectiveChoice(list);

  useMapEvents({
    baselayerchange: (event) => {
      if (event.name === t('layer.coast')) return void chooseBaseMap(null);
      const pack = packs.find((candidate) => names.get(candidate.id) === event.name);
      if (pack) void chooseBaseMap(pack.id);
    },
  });

  if (!list) return null;
  return (
    <>
      {packs.map((pack) => (
        <LayersControl.BaseLayer
          key={`${pack.id}-${names.get(pack.id)}-${t.language}-${list.tilePath}`}
          checked={chosen === pack.id}
          name={names.get(pack.id)!}
        >
          <MapPackLayer pack={pack} tilePath={list.tilePath} />
        </LayersControl.BaseLayer>
      ))}
    </>
  );
}
