// Neighbouring posts on the map (issue 16 item 4): their units and open
// incidents as the centre last published them, drawn apart from this post's
// own — grey and dashed, not on the live canvas, so they can be neither
// picked nor assigned. A click shows what they are, whose they are ("Boulogne
// — read only") and how old; a stale neighbour is drawn fainter and says so.
import { useEffect, useState } from 'react';
import { CircleMarker, LayerGroup, Popup, Tooltip } from 'react-leaflet';
import type { NeighbourIncident, NeighbourUnit, NeighbourView } from '../../shared/contract';
import { UnitStatus, UnitType } from '../../shared/domain';
import type { Translator } from '../i18n/translate';
import { useT } from '../i18n/useT';
import { formatAge } from './LiveCanvasLayer';
import { useNeighbours } from './neighbours';

const UNIT_COLOUR = '#9aa5b1';
const INCIDENT_COLOUR = '#c9a66b';

function unitWords(t: Translator, unit: NeighbourUnit): string {
  // A neighbour on a newer Vigie may name a type or status this console does not know: shown as sent.
  const type = UnitType.safeParse(unit.type).success ? t(`unitType.${unit.type as UnitType}`) : unit.type;
  const status = UnitStatus.safeParse(unit.status).success ? t(`unitStatus.${unit.status as UnitStatus}`) : unit.status;
  return `${type} · ${status}`;
}

function Provenance({ t, neighbour, now }: { t: Translator; neighbour: NeighbourView; now: number }) {
  const age = neighbour.at === null ? '' : formatAge(now - neighbour.at);
  return (
    <>
      <div className="neighbour-owner" data-testid="neighbour-read-only">
        {t('neighbours.readOnly', { post: neighbour.post })}
      </div>
      {neighbour.at !== null ? <div className="muted">{t('neighbours.asOf', { age, time: t.time(neighbour.at) })}</div> : null}
      {neighbour.state === 'stale' ? (
        <div className="stale-age" data-testid="neighbour-stale">
          {t('neighbours.stale', { post: neighbour.post, age })}
        </div>
      ) : null}
    </>
  );
}

function pathStyle(colour: string, stale: boolean) {
  return { color: colour, weight: 2, opacity: stale ? 0.45 : 0.9, dashArray: '4 3', fillColor: colour, fillOpacity: stale ? 0.05 : 0.15 };
}

function UnitMarker({ neighbour, unit, now }: { neighbour: NeighbourView; unit: NeighbourUnit & { lat: number; lon: number }; now: number }) {
  const t = useT();
  const stale = neighbour.state === 'stale';
  return (
    // Its own click only: a neighbour's unit must not reach the map's picking (nothing of theirs is ours to select).
    <CircleMarker center={[unit.lat, unit.lon]} radius={7} pathOptions={pathStyle(UNIT_COLOUR, stale)} bubblingMouseEvents={false}>
      <Tooltip direction="top" offset={[0, -6]}>
        <span data-neighbour-unit={unit.id} data-neighbour-post={neighbour.post} data-state={neighbour.state}>
          {neighbour.post} · {unit.callsign}
          {stale ? ` · ${t('neighbours.staleShort')}` : ''}
        </span>
      </Tooltip>
      <Popup>
        <div className="neighbour-popup" data-testid="neighbour-popup">
          <strong>{unit.callsign}</strong>
          <div>{unitWords(t, unit)}</div>
          <div className="muted">{unit.fixTime !== null ? t('picked.age', { age: formatAge(now - unit.fixTime) }) : t('picked.noFix')}</div>
          <Provenance t={t} neighbour={neighbour} now={now} />
        </div>
      </Popup>
    </CircleMarker>
  );
}

function IncidentMarker({ neighbour, incident, now }: { neighbour: NeighbourView; incident: NeighbourIncident; now: number }) {
  const t = useT();
  const stale = neighbour.state === 'stale';
  return (
    <CircleMarker center={[incident.lat, incident.lon]} radius={11} pathOptions={pathStyle(INCIDENT_COLOUR, stale)} bubblingMouseEvents={false}>
      <Tooltip direction="top" offset={[0, -10]}>
        <span data-neighbour-incident={incident.id} data-neighbour-post={neighbour.post} data-state={neighbour.state}>
          {neighbour.post} · {t('neighbours.incident', { id: incident.id })}
          {stale ? ` · ${t('neighbours.staleShort')}` : ''}
        </span>
      </Tooltip>
      <Popup>
        <div className="neighbour-popup" data-testid="neighbour-popup">
          <strong>{t('neighbours.incident', { id: incident.id })}</strong>
          {incident.sector ? <div>{t('neighbours.sector', { sector: incident.sector })}</div> : null}
          <div>
            {t('neighbours.opened', { time: t.time(incident.openedAt) })} · {t('neighbours.units', { count: incident.units })}
          </div>
          <Provenance t={t} neighbour={neighbour} now={now} />
        </div>
      </Popup>
    </CircleMarker>
  );
}

export function NeighboursLayer() {
  const neighbours = useNeighbours((state) => state.neighbours);
  // Ages move on between the core's pushes.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <LayerGroup>
      {neighbours.map((neighbour) => (
        <LayerGroup key={neighbour.post}>
          {neighbour.incidents.map((incident) => (
            <IncidentMarker key={`i:${incident.id}`} neighbour={neighbour} incident={incident} now={now} />
          ))}
          {neighbour.units.map((unit) =>
            unit.lat === null || unit.lon === null ? null : (
              <UnitMarker key={`u:${unit.id}`} neighbour={neighbour} unit={{ ...unit, lat: unit.lat, lon: unit.lon }} now={now} />
            ),
          )}
        </LayerGroup>
      ))}
    </LayerGroup>
  );
}
