// The console's first screen: status strip, sector list, and the coast map.
import { useEffect, useState } from 'react';
import { CoastMap } from './map/CoastMap';
import { loadBaseMap, type BaseMapData } from './map/baseMapData';
import { AlertList } from './shell/AlertList';
import { FeedsPanel } from './shell/FeedsPanel';
import { SectorList } from './shell/SectorList';
import { TopBar } from './shell/TopBar';

export function App() {
  const [baseMap, setBaseMap] = useState<BaseMapData | null>(null);
  const [baseMapError, setBaseMapError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    loadBaseMap().then(setBaseMap, (error: unknown) => setBaseMapError(error instanceof Error ? error.message : String(error)));
  }, []);

  return (
    <div className="app">
      <TopBar />
      <main className="workspace">
        <aside className="side-panel">
          <AlertList />
          <SectorList selectedId={selectedId} onSelect={setSelectedId} />
          <FeedsPanel />
        </aside>
        {baseMap ? (
          <CoastMap baseMap={baseMap} selectedId={selectedId} onSelect={setSelectedId} />
        ) : (
          <div className="map-frame map-placeholder" role="alert">
            {baseMapError ? `The offline base map could not be loaded: ${baseMapError}` : 'Loading the offline map…'}
          </div>
        )}
      </main>
    </div>
  );
}
