// The console's first screen: status strip, alert and sector lists, feeds,
// and the coast map; the keyboard shortcuts and their help overlay.
import { useCallback, useEffect, useState } from 'react';
import { useT } from './i18n/useT';
import { focusRegion } from './keyboard/focusRegions';
import type { ShortcutHandlers } from './keyboard/shortcuts';
import { useShortcuts } from './keyboard/useShortcuts';
import { CoastMap } from './map/CoastMap';
import { loadBaseMap, type BaseMapData } from './map/baseMapData';
import { AlertList } from './shell/AlertList';
import { FeedsPanel } from './shell/FeedsPanel';
import { HelpDialog } from './shell/HelpDialog';
import { SectorList } from './shell/SectorList';
import { TopBar } from './shell/TopBar';
import { useConsole } from './state/store';

export function App() {
  const t = useT();
  const toggleLanguage = useConsole((state) => state.toggleLanguage);
  const [baseMap, setBaseMap] = useState<BaseMapData | null>(null);
  const [baseMapError, setBaseMapError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);

  useEffect(() => {
    loadBaseMap().then(setBaseMap, (error: unknown) => setBaseMapError(error instanceof Error ? error.message : String(error)));
  }, []);

  const shortcuts: ShortcutHandlers = {
    'toggle-help': () => setHelpOpen((open) => !open),
    'toggle-language': toggleLanguage,
    'focus-map': () => focusRegion('map'),
    'focus-sectors': () => focusRegion('sectors'),
    'focus-alerts': () => focusRegion('alerts'),
  };
  useShortcuts(shortcuts, { modalOpen: helpOpen });

  return (
    <div className="app">
      <TopBar onHelp={() => setHelpOpen(true)} />
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
            {baseMapError ? t('map.failed', { error: baseMapError }) : t('map.loading')}
          </div>
        )}
      </main>
      {helpOpen ? <HelpDialog onClose={closeHelp} /> : null}
    </div>
  );
}
