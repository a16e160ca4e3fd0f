// Beach sectors from the core's picture: a polygon each, labelled with its
// name once zoomed in (its id at overview zoom, where names would overlap);
// filled by live activity, dashed red when it is a coverage gap.
import { useMemo, useState } from 'react';
import { LayerGroup, Polygon, Tooltip, useMapEvents } from 'react-leaflet';
import type { Sector } from '../../shared/contract';
import { useConsole, useShownPicture, type CoverageGap } from '../state/store';
import { sectorStyle } from './mapStyle';
import { useSectorEditor } from '../sectors/sectorEditorStore';

const NAMES_FROM_ZOOM = 11;
/** Coverage is the live core's answer about now: no gap is outlined over a replayed moment. */
const NO_GAPS: CoverageGap[] = [];

export function SectorsLayer({ sectors, selectedId, onSelect }: { sectors: Sector[]; selectedId: string | null; onSelect(id: string): void }) {
  const [zoom, setZoom] = useState<number | null>(null);
  const map = useMapEvents({ zoomend: () => setZoom(map.getZoom()) });
  const showNames = (zoom ?? map.getZoom()) >= NAMES_FROM_ZOOM;
  const alerts = useShownPicture((picture) => picture.alerts);
  const gaps = useConsole((state) => (state.replay ? NO_GAPS : state.coverageGaps));
  // Open alerts per sector: the live activity the fill shows.
  const activity = useMemo(() => {
    const counts = new Map<string, number>();
    for (const alert of alerts) if (alert.sector && alert.status !== 'closed') counts.set(alert.sector, (counts.get(alert.sector) ?? 0) + 1);
    return counts;
  }, [alerts]);
  const gapSectors = useMemo(() => new Set(gaps.map((gap) => gap.sector)), [gaps]);
  return (
    <LayerGroup>
      {sectors.map((sector) => (
        <Polygon
          // Keyed by the ring too: a redrawn sector (issue 6) gets a new polygon, and its label moves to the new centre.
          key={`${sector.id}:${sector.ring.length}:${sector.ring.flat().join(',')}`}
          className={`sector-${sector.id}`}
          positions={sector.ring.map(([lon, lat]) => [lat, lon] as [number, number])}
          pathOptions={sectorStyle(sector.risk, sector.id === selectedId, activity.get(sector.id) ?? 0, gapSectors.has(sector.id))}
          eventHandlers={{
            click: () => !useSectorEditor.getState().drawing && onSelect(sector.id) /* a click while redrawing is a corner (sectors/SectorDrawLayer.tsx) */,
          }}
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
