// The map's tools (issue 6): go to a typed coordinate (decimal, DMS or MGRS),
// measure distance and bearing between clicked points, find a bundled place
// name, and the map packs with their problems. The panel sits beside the map
// (a portal into the map frame, out of Leaflet's event handling); the drawn
// parts (target, measuring line) are Leaflet layers. J, P and K open the
// tools from anywhere outside a text field (keyboard/shortcuts.ts, App.tsx).
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { CircleMarker, Polyline, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import { formatDecimal, formatDms, formatMgrs, parseCoordinate } from '../../shared/coordinates';
import { bearingDegrees, distanceMeters } from '../../shared/sphere';
import { useT } from '../i18n/useT';
import { useConsole, type MapTool } from '../state/store';
import type { Place } from './baseMapData';
import { MapPacksPanel, usePackProblemCount } from './MapPacksPanel';
import { watchMapPacks } from './mapPacks';
import { formatBearing, formatDistance, searchPlaces, searchVessels } from './mapToolsFormat';
import type { VesselView } from '../../shared/contract';

type Tool = MapTool;
const GO_ZOOM = 13;

export function MapTools({ places }: { places: Place[] }) {
  const t = useT();
  const map = useMap();
  const tool = useConsole((state) => state.mapTool);
  const setTool = useConsole((state) => state.setMapTool);
  const [target, setTarget] = useState<{ lat: number; lon: number; label: string } | null>(null);
  const [points, setPoints] = useState<{ lat: number; lon: number }[]>([]);
  const problems = usePackProblemCount();

  useEffect(() => watchMapPacks(), []);

  const close = () => {
    setTool(null);
    setPoints([]);
    map.getContainer().focus();
  };
  const open = (next: Tool) => {
    setTool(tool === next ? null : next);
    setPoints([]);
  };
  // A new tool (J, P, K from the shortcuts table, or a button) starts with no points.
  useEffect(() => setPoints([]), [tool]);

  useEffect(() => {
    const container = map.getContainer();
    container.classList.toggle('measuring', tool === 'measure');
    if (tool !== 'measure') return;
    // Escape on the map ends the measure too.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setTool(null);
        setPoints([]);
      }
    };
    container.addEventListener('keydown', onKeyDown);
    return () => container.removeEventListener('keydown', onKeyDown);
  }, [map, tool]);

  useMapEvents({
    click: (event) => {
      if (tool === 'measure') setPoints((current) => [...current, { lat: event.latlng.lat, lon: event.latlng.lng }]);
    },
  });

  const goTo = (lat: number, lon: number, label: string) => {
    setTarget({ lat, lon, label });
    map.flyTo([lat, lon], Math.max(map.getZoom(), GO_ZOOM), { duration: 0.6 });
  };

  const frame = map.getContainer().parentElement;
  const panel = (
    <div
      className="map-tools"
      role="region"
      aria-label={t('tools.label')}
      data-testid="map-tools"
      onKeyDown={(event) => event.key === 'Escape' && (event.stopPropagation(), close())}
    >
      <div className="map-tools-bar" role="toolbar" aria-label={t('tools.label')}>
        <ToolButton tool="goto" current={tool} onClick={open} label={t('tools.goto')} keyCap="J" />
        <ToolButton tool="search" current={tool} onClick={open} label={t('tools.search')} keyCap="P" />
        <ToolButton tool="measure" current={tool} onClick={open} label={t('tools.measure')} keyCap="K" />
        <ToolButton tool="packs" current={tool} onClick={open} label={t('tools.packs')} />
        {problems > 0 ? (
          <button type="button" className="map-tools-warning" onClick={() => setTool('packs')} data-testid="pack-problem-count">
            {t('packs.problems', { count: problems })}
          </button>
        ) : null}
      </div>
      {tool === 'goto' ? <GoToForm onGo={goTo} /> : null}
      {tool === 'search' ? <PlaceSearch places={places} onGo={goTo} /> : null}
      {tool === 'measure' ? <MeasureReadout points={points} onClear={() => setPoints([])} /> : null}
      {tool === 'packs' ? <MapPacksPanel /> : null}
    </div>
  );

  return (
    <>
      {frame ? createPortal(panel, frame) : null}
      {target ? (
        <CircleMarker center={[target.lat, target.lon]} radius={9} interactive={false} pathOptions={{ color: '#ffd166', weight: 3, fill: false }}>
          <Tooltip permanent direction="top" offset={[0, -10]} className="goto-label">
            {target.label}
          </Tooltip>
        </CircleMarker>
      ) : null}
      {points.length > 0 ? (
        <>
          <Polyline
            positions={points.map((p) => [p.lat, p.lon] as [number, number])}
            interactive={false}
            pathOptions={{ color: '#ffd166', weight: 2, dashArray: '6 4' }}
          />
          {points.map((p, i) => (
            <CircleMarker key={i} center={[p.lat, p.lon]} radius={4} interactive={false} pathOptions={{ color: '#ffd166', weight: 2, fillOpacity: 1 }} />
          ))}
        </>
      ) : null}
    </>
  );
}

function ToolButton({
  tool,
  current,
  onClick,
  label,
  keyCap,
}: {
  tool: Tool;
  current: Tool | null;
  onClick(tool: Tool): void;
  label: string;
  keyCap?: string;
}) {
  return (
    <button type="button" aria-pressed={current === tool} onClick={() => onClick(tool)} data-testid={`tool-${tool}`}>
      {label}
      {keyCap ? <kbd>{keyCap}</kbd> : null}
    </button>
  );
}

function GoToForm({ onGo }: { onGo(lat: number, lon: number, label: string): void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const point = parseCoordinate(text);
    setError(point === null);
    if (point) onGo(point.lat, point.lon, `${formatDms(point.lat, point.lon)} · ${formatMgrs(point.lat, point.lon) ?? formatDecimal(point.lat, point.lon)}`);
  };
  return (
    <form className="map-tool-body" onSubmit={submit}>
      <label>
        {t('goto.label')}
        <input
          ref={input}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={t('goto.placeholder')}
          spellCheck={false}
          autoComplete="off"
          data-testid="goto-input"
          aria-invalid={error}
        />
      </label>
      <button type="submit">{t('goto.submit')}</button>
      {error ? (
        <p className="map-tool-error" role="alert" data-testid="goto-error">
          {t('goto.invalid')}
        </p>
      ) : null}
    </form>
  );
}

function PlaceSearch({ places, onGo }: { places: Place[]; onGo(lat: number, lon: number, label: string): void }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => input.current?.focus(), []);
  const results = useMemo(() => searchPlaces(places, query), [places, query]);
  // Ships are searched as they are now, and again at most once a second while ships are heard (the list does not
  // jump with every position, yet a ship whose name arrives after the query was typed still shows up).
  const [shipsHeard, setShipsHeard] = useState(0);
  useEffect(() => {
    let timer: number | undefined;
    const unsubscribe = useConsole.getState().live.vessels.subscribe(() => {
      timer ??= window.setTimeout(() => {
        timer = undefined;
        setShipsHeard((n) => n + 1);
      }, 1000);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, []);
  const ships = useMemo(() => searchVessels(useConsole.getState().live.vessels.byMmsi.values(), query), [query, shipsHeard]);
  const go = (place: Place) => {
    const [lon, lat] = place.geometry.coordinates;
    onGo(lat, lon, place.properties.name);
  };
  const goShip = (vessel: VesselView) => {
    const current = useConsole.getState().live.vessels.byMmsi.get(vessel.mmsi) ?? vessel;
    if (current.lat !== null && current.lon !== null) onGo(current.lat, current.lon, current.name ?? String(current.mmsi));
    useConsole.getState().pick({ kind: 'vessel', id: String(current.mmsi) });
  };
  const onInputKey = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && ships[0] && !results[0]) {
      event.preventDefault();
      goShip(ships[0]);
    } else if (event.key === 'Enter' && results[0]) {
      event.preventDefault();
      go(results[0]);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      list.current?.querySelector('button')?.focus();
    }
  };
  const onListKey = (event: ReactKeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const buttons = [...(list.current?.querySelectorAll('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = index + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) input.current?.focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  };
  return (
    <div className="map-tool-body">
      <label>
        {t('search.label')}
        <input
          ref={input}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onInputKey}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          data-testid="search-input"
        />
      </label>
      {query.trim() && results.length === 0 && ships.length === 0 ? <p className="muted">{t('search.none')}</p> : null}
      <ul ref={list} className="place-results" onKeyDown={onListKey} data-testid="search-results">
        {ships.map((vessel) => (
          <li key={`ship-${vessel.mmsi}`}>
            <button type="button" onClick={() => goShip(vessel)} data-testid="search-ship" data-mmsi={vessel.mmsi}>
              {vessel.name ?? String(vessel.mmsi)} <span className="muted">{t('search.vessel', { mmsi: String(vessel.mmsi) })}</span>
            </button>
          </li>
        ))}
        {results.map((place) => (
          <li key={`${place.properties.name}-${place.geometry.coordinates.join(',')}`}>
            <button type="button" onClick={() => go(place)}>
              {place.properties.name} <span className="muted">{t('search.population', { population: t.number(place.properties.population) })}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MeasureReadout({ points, onClear }: { points: { lat: number; lon: number }[]; onClear(): void }) {
  const t = useT();
  const legs = points.slice(1).map((point, i) => {
    const from = points[i]!;
    return { meters: distanceMeters(from.lat, from.lon, point.lat, point.lon), bearing: bearingDegrees(from.lat, from.lon, point.lat, point.lon) };
  });
  const total = legs.reduce((sum, leg) => sum + leg.meters, 0);
  return (
    <div className="map-tool-body" data-testid="measure-readout" aria-live="polite">
      <p className="muted">{t('measure.hint')}</p>
      {points.length === 0 ? <p className="muted">{t('measure.none')}</p> : null}
      <ol className="measure-legs">
        {legs.map((leg, i) => (
          <li key={i} data-testid="measure-leg">
            {t('measure.leg', { n: i + 1, distance: formatDistance(t, leg.meters), bearing: formatBearing(leg.bearing) })}
          </li>
        ))}
      </ol>
      {legs.length > 1 ? <p data-testid="measure-total">{t('measure.total', { distance: formatDistance(t, total) })}</p> : null}
      {points.length > 0 ? (
        <button type="button" onClick={onClear}>
          {t('measure.clear')}
        </button>
      ) : null}
    </div>
  );
}
