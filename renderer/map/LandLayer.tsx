// Land polygons of the offline base map; France drawn a little brighter than
// its neighbours so the watched coast stands out.
import { GeoJSON } from 'react-leaflet';
import type { LandCollection } from './baseMapData';
import { FOREIGN_LAND_STYLE, LAND_STYLE } from './mapStyle';

export function LandLayer({ land }: { land: LandCollection }) {
  return (
    <GeoJSON
      data={land as GeoJSON.FeatureCollection}
      interactive={false}
      style={(feature) => (feature?.properties?.country === 'FR' ? LAND_STYLE : FOREIGN_LAND_STYLE)}
    />
  );
}
