// Mounts the imperative canvas of tracks and units on the map.
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { LiveCanvasLayer } from './LiveCanvasLayer';

export function LiveLayer() {
  const map = useMap();
  useEffect(() => {
    const layer = new LiveCanvasLayer().addTo(map);
    return () => {
      layer.remove();
    };
  }, [map]);
  return null;
}
