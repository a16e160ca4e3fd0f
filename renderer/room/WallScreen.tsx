// The control room's wall screen (issue 15): the `display` role's whole
// console. No actions — the core refuses them for this role anyway — large
// type, the map fitted to the coast, and every open incident in turn: each
// is shown for CYCLE_MS, fitted on the map and highlighted in the list.
import { useEffect, useMemo, useState } from 'react';
import { fitToIncident } from '../map/mapActions';
import { CoastMap } from '../map/CoastMap';
import { loadBaseMap, type BaseMapData } from '../map/baseMapData';
import { useT } from '../i18n/useT';
import { TopBar } from '../shell/TopBar';
import { useConsole, useShownPicture } from '../state/store';

export const CYCLE_MS = 12_000;

export function WallScreen() {
  const t = useT();
  const [baseMap, setBaseMap] = useState<BaseMapData | null>(null);
  const all = useShownPicture((picture) => picture.incidents);
  const incidents = useMemo(() => all.filter((incident) => incident.status === 'open'), [all]);
  const sectors = useShownPicture((picture) => picture.sectors);
  const newAlerts = useShownPicture((picture) => picture.alerts.filter((alert) => alert.status === 'new').length);
  const shown = useConsole((state) => state.selectedIncident);
  const selectIncident = useConsole((state) => state.selectIncident);
  const fitMapTo = useConsole((state) => state.fitMapTo);
  const [turn, setTurn] = useState(0);

  useEffect(() => {
    loadBaseMap().then(setBaseMap, () => undefined);
    const timer = setInterval(() => setTurn((n) => n + 1), CYCLE_MS);
    return () => clearInterval(timer);
  }, []);

  // Each turn: the next open incident, or the whole coast when there is none.
  const ids = incidents.map((incident) => incident.id).join(',');
  useEffect(() => {
    const open = ids === '' ? [] : ids.split(',');
    if (open.length === 0) {
      selectIncident(null);
      fitMapTo(sectors.flatMap((sector) => sector.ring.map(([lon, lat]) => [lat, lon] as [number, number])));
      return;
    }
    selectIncident(open[turn % open.length]!);
    fitToIncident();
  }, [turn, ids, sectors, selectIncident, fitMapTo]);

  return (
    <div className="app wall-screen" data-testid="wall-screen">
      <TopBar />
      <main className="wall-workspace">
        <aside className="wall-list" aria-label={t('wall.incidents')}>
          <h2>{t('wall.open', { count: incidents.length, alerts: newAlerts })}</h2>
          <ol>
            {incidents.map((incident) => {
              const sector = incident.sector ? (sectors.find((candidate) => candidate.id === incident.sector)?.name ?? incident.sector) : t('alerts.openSea');
              return (
                <li
                  key={incident.id}
                  className={incident.id === shown ? 'wall-current' : undefined}
                  data-incident={incident.id}
                  aria-current={incident.id === shown}
                >
                  <span className="mono">{incident.id}</span> {sector}
                  <span className="wall-detail">
                    {t('wall.detail', { owner: incident.owner ?? '—', units: incident.assignments.filter((a) => a.status !== 'cleared').length })}
                  </span>
                </li>
              );
            })}
          </ol>
        </aside>
        {baseMap ? (
          <CoastMap baseMap={baseMap} selectedId={null} onSelect={() => undefined} />
        ) : (
          <div className="map-frame map-placeholder">{t('map.loading')}</div>
        )}
      </main>
    </div>
  );
}
