// Drawing a sector's new ring on the map (issue 6): each click adds a corner;
// Enter or a double-click finishes (the core closes and checks the ring), Esc
// cancels. Lives inside the map (CoastMap.tsx); draws nothing otherwise.
import { useEffect } from 'react';
import { CircleMarker, Polygon, Polyline, useMap, useMapEvents } from 'react-leaflet';
import { finishDrawing } from './sectorEditorActions';
import { useSectorEditor } from './sectorEditorStore';

const DRAW_COLOUR = '#ffd166';

export function SectorDrawLayer() {
  const map = useMap();
  const drawing = useSectorEditor((state) => state.drawing);
  const active = drawing !== null;

  useMapEvents({
    click: (event) => {
      if (useSectorEditor.getState().drawing) useSectorEditor.getState().addPoint([event.latlng.lng, event.latlng.lat]);
    },
    dblclick: () => {
      if (useSectorEditor.getState().drawing) void finishDrawing();
    },
  });

  useEffect(() => {
    if (!active) return;
    const container = map.getContainer();
    map.doubleClickZoom.disable();
    container.classList.add('drawing-sector');
    // Window-wide while drawing, before the console's shortcuts: Enter and Esc belong to the drawing.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Enter') void finishDrawing();
      else useSectorEditor.getState().cancelDrawing();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      container.classList.remove('drawing-sector');
      map.doubleClickZoom.enable();
    };
  }, [map, active]);

  if (!drawing || drawing.points.length === 0) return null;
  const positions = drawing.points.map(([lon, lat]) => [lat, lon] as [number, number]);
  return (
    <>
      {positions.length >= 3 ? (
        <Polygon positions={positions} interactive={false} pathOptions={{ color: DRAW_COLOUR, weight: 2, dashArray: '6 4', fillOpacity: 0.15 }} />
      ) : (
        <Polyline positions={positions} interactive={false} pathOptions={{ color: DRAW_COLOUR, weight: 2, dashArray: '6 4' }} />
      )}
      {positions.map((position, i) => (
        <CircleMarker key={i} center={position} radius={4} interactive={false} pathOptions={{ color: DRAW_COLOUR, weight: 2, fillOpacity: 1 }} />
      ))}
    </>
  );
}
