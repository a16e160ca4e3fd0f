// The console's screen: status strip, alert queue, sector list, coverage,
// feeds, the coast map and the selected incident; the keyboard shortcuts and
// their help overlay.
import { useCallback, useEffect, useState } from 'react';
import { useT } from './i18n/useT';
import { focusRegion } from './keyboard/focusRegions';
import type { ShortcutHandlers } from './keyboard/shortcuts';
import { useShortcuts } from './keyboard/useShortcuts';
import { CoastMap } from './map/CoastMap';
import { loadBaseMap, type BaseMapData } from './map/baseMapData';
import { assignNth, assignTop, clearFirstUnit, markFirstEnRoute, openCloseDialog, toggleMute, toggleOverride } from './dispatch/actions';
import { fitToIncident, toggleFollow } from './map/mapActions';
import { AlertQueue } from './shell/AlertQueue';
import { CloseIncidentDialog } from './shell/CloseIncidentDialog';
import { CoverageList } from './shell/CoverageList';
import { FeedsPanel } from './shell/FeedsPanel';
import { BackupsPanel } from './shell/BackupsPanel';
import { DevicesPanel } from './devices/DevicesPanel';
import { ChatPanel } from './chat/ChatPanel';
import { HelpDialog } from './shell/HelpDialog';
import { AboutDialog } from './shell/AboutDialog';
import { FiguresButton } from './figures/FiguresButton';
import { FiguresDialog } from './figures/FiguresDialog';
import { IncidentPanel } from './shell/IncidentPanel';
import { SectorList } from './shell/SectorList';
import { CentreMessages } from './shell/CentreMessages';
import { TopBar } from './shell/TopBar';
import { AccessScreen } from './session/AccessScreen';
import { SoundBank } from './sound/SoundBank';
import { useConsole } from './state/store';
import { ReplayBar } from './replay/ReplayBar';
import { ReplayButton } from './replay/ReplayButton';
import { enterReplay } from './replay/replayMode';
import { SectorEditor, focusSectorEditor } from './sectors/SectorEditor';
import { SeatsDialog } from './room/SeatsDialog';
import { WallScreen } from './room/WallScreen';
import { PopoutWindow } from './room/PopoutWindow';
import { popoutKind } from './room/popout';

/** The console once someone is signed in; before that, the sign-in (or first supervisor) screen. */
export function App() {
  const access = useConsole((state) => state.access);
  const [aboutOpen, setAboutOpen] = useState(false);
  const closeAbout = useCallback(() => setAboutOpen(false), []);
  const role = useConsole((state) => state.session?.role);
  if (access !== 'signed-in') {
    return (
      <div className="app">
        <TopBar onAbout={() => setAboutOpen(true)} />
        <AccessScreen />
        {aboutOpen ? <AboutDialog onClose={closeAbout} /> : null}
      </div>
    );
  }
  // The control room's wall screen (issue 15): the picture only, in large type.
  if (role === 'display') return <WallScreen />;
  // A panel popped out onto a second monitor (issue 15).
  const popout = popoutKind();
  if (popout) return <PopoutWindow kind={popout} />;
  return <Console />;
}

function Console() {
  const t = useT();
  const toggleLanguage = useConsole((state) => state.toggleLanguage);
  const setMapTool = useConsole((state) => state.setMapTool);
  const [baseMap, setBaseMap] = useState<BaseMapData | null>(null);
  const [baseMapError, setBaseMapError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const [aboutOpen, setAboutOpen] = useState(false); // licence notices (issue 18)
  const closeAbout = useCallback(() => setAboutOpen(false), []);
  const [figuresOpen, setFiguresOpen] = useState(false); // Figures (issue 5)
  const [seatsOpen, setSeatsOpen] = useState(false); // The control room's seats (issue 15)
  const closeSeats = useCallback(() => setSeatsOpen(false), []);
  const closeFigures = useCallback(() => setFiguresOpen(false), []);
  const closeDialogOpen = useConsole((state) => state.closeDialogOpen);
  const setCloseDialogOpen = useConsole((state) => state.setCloseDialogOpen);
  const selectedIncident = useConsole((state) => state.selectedIncident);
  const cancelClose = useCallback(() => setCloseDialogOpen(false), [setCloseDialogOpen]);

  useEffect(() => {
    loadBaseMap().then(setBaseMap, (error: unknown) => setBaseMapError(error instanceof Error ? error.message : String(error)));
  }, []);

  const shortcuts: ShortcutHandlers = {
    'toggle-help': () => setHelpOpen((open) => !open),
    'toggle-language': toggleLanguage,
    'focus-map': () => focusRegion('map'),
    'focus-sectors': () => focusRegion('sectors'),
    'focus-alerts': () => focusRegion('alerts'),
    'toggle-mute': () => void toggleMute(),
    'assign-top': assignTop,
    'assign-nth': (key) => assignNth(Number(key)),
    'toggle-override': toggleOverride,
    'close-incident': openCloseDialog,
    'unit-en-route': markFirstEnRoute,
    'unit-cleared': clearFirstUnit,
    'toggle-follow': toggleFollow,
    'fit-incident': fitToIncident,
    'open-goto': () => setMapTool('goto'),
    'open-search': () => setMapTool('search'),
    // K again ends the measure.
    'toggle-measure': () => setMapTool(useConsole.getState().mapTool === 'measure' ? null : 'measure'),
    'focus-note': () => focusRegion('note'),
    'open-figures': () => setFiguresOpen(true),
    'open-replay': enterReplay, // Replay (issue 5)
    'focus-sector-editor': focusSectorEditor, // Sector editor (issue 6)
  };
  // In replay mode the panels show the past: no live action, by key or by click (replay's bar has its own keys).
  const replaying = useConsole((state) => state.replay !== null);
  useShortcuts(shortcuts, { modalOpen: helpOpen || aboutOpen || closeDialogOpen || figuresOpen || seatsOpen || replaying });

  return (
    <div className="app">
      <TopBar onHelp={() => setHelpOpen(true)} onAbout={() => setAboutOpen(true)} onSeats={() => setSeatsOpen(true)} />
      <CentreMessages />
      {replaying ? <ReplayBar /> : null}
      <main className={replaying ? 'workspace replaying' : 'workspace'}>
        <aside className="side-panel" inert={replaying}>
          <AlertQueue />
          <CoverageList />
          <SectorList selectedId={selectedId} onSelect={setSelectedId} />
          <SectorEditor selectedId={selectedId} />
          <DevicesPanel />
          <ChatPanel />
          <FeedsPanel />
          <BackupsPanel />
          <FiguresButton onOpen={() => setFiguresOpen(true)} />
          <ReplayButton />
        </aside>
        {baseMap ? (
          <CoastMap baseMap={baseMap} selectedId={selectedId} onSelect={setSelectedId} />
        ) : (
          <div className="map-frame map-placeholder" role="alert">
            {baseMapError ? t('map.failed', { error: baseMapError }) : t('map.loading')}
          </div>
        )}
        <div className="incident-panel-frame" inert={replaying}>
          <IncidentPanel />
        </div>
      </main>
      {/* The chimes load once the base map is in: the map is needed first, the sounds only with the first alert. */}
      <SoundBank preload={baseMap !== null || baseMapError !== null} />
      {figuresOpen ? <FiguresDialog onClose={closeFigures} /> : null}
      {seatsOpen ? <SeatsDialog onClose={closeSeats} /> : null}
      {helpOpen ? <HelpDialog onClose={closeHelp} /> : null}
      {aboutOpen ? <AboutDialog onClose={closeAbout} /> : null}
      {closeDialogOpen && selectedIncident ? <CloseIncidentDialog incident={selectedIncident} onCancel={cancelClose} /> : null}
    </div>
  );
}
