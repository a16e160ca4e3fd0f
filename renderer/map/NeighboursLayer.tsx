// Neighbouring posts on the map (issue 16 item 4): their units and open
// incidents as the centre last published them, drawn apart from this post's
// own — grey and dashed, not on the live canvas, so they can be neither
// picked nor assigned. A click shows what they are, whose they are ("Boulogne
// — read only") and how old; a stale neighbour is drawn fainter and says so.
import L from 'leaflet';
import { useEffect, useMemo, useState } from 'react';
import { LayerGroup, Marker, Popup, Tooltip } from 'react-leaflet';
import type { NeighbourIncident, NeighbourUnit, NeighbourView } from '../../shared/contract';
import { UnitStatus, UnitType } from '../../shared/domain';
import type { Translator } from '../i18n/translate';
import { useT } from '../i18n/useT';
import { formatAge } from './LiveCanvasLayer';
import { useNeighbours } from './neighbours';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A dashed ring (styles.css), carrying the post, the id and the state for whoever reads the page. */
function ringIcon(kind: 'unit' | 'incident', post: string, id: string, stale: boolean): L.DivIcon {
  const size = kind === 'unit' ? 14 : 22;
  return L.divIcon({
    className: `neighbour-icon neighbour-${kind}${stale ? ' neighbour-stale' : ''}`,
    html: `<span data-neighbour-${kind}="${escapeHtml(id)}" data-neighbour-post="${escapeHtml(post)}" data-state="${stale ? 'stale' : 'live'}"></span>`,
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

function unitWords(t: Translator, unit: NeighbourUnit): string {
  // A neighbour on a newer Vigie may name a type or status this console does not know: shown as sent.
  const type = UnitType.safeParse(unit.type).success ? t(`unitType.${unit.type as UnitType}`) : unit.type;
  const status = UnitStatus.safeParse(unit.status).success ? t(`unitStatus.${unit.status as UnitStatus}`) : unit.status;
  return `${type} · ${status}`;
}

function Provenance({ t, neighbour, now }: { t: Translator; neighbour: NeighbourView; now: number }) {
  const age = neighbour.at === null ? '' : formatAge(now - neighbour.at);
  // How long since anything new of the post: its last sign of life at the centre, which a fresh digest of a post gone quiet outlives.
  const silence = neighbour.at === null ? '' : formatAge(now - Math.min(neighbour.at, neighbour.heardAt ?? neighbour.at));
  return (
    <>
      <div className="neighbour-owner" data-testid="neighbour-read-only">
        {t('neighbours.readOnly', { post: neighbour.post })}
      </div>
      {neighbour.at !== null ? <div className="muted">{t('neighbours.asOf', { age, time: t.time(neighbour.at) })}</div> : null}
      {neighbour.state === 'stale' ? (
        <div className="stale-age" data-testid="neighbour-stale">
          {t('neighbours.stale', { post: neighbour.post, age: silence })}
        </div>
      ) : null}
    </>
  );
}

function UnitMarker({ neighbour, unit, now }: { neighbour: NeighbourView; unit: NeighbourUnit & { lat: number; lon: number }; now: number }) {
  const t = useT();
  const stale = neighbour.state === 'stale';
  const icon = useMemo(() => ringIcon('unit', neighbour.post, unit.id, stale), [neighbour.post, unit.id, stale]);
  return (
    // A marker's click stays its own: it never reaches the map's picking (nothing of theirs is ours to select or assign).
    <Marker position={[unit.lat, unit.lon]} icon={icon} title={`${neighbour.post} · ${unit.callsign}`}>
      <Tooltip direction="top" offset={[0, -6]}>
        <span>
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
    </Marker>
  );
}

function IncidentMarker({ neighbour, incident, now }: { neighbour: NeighbourView; incident: NeighbourIncident; now: number }) {
  const t = useT();
  const stale = neighbour.state === 'stale';
  const icon = useMemo(() => ringIcon('incident', neighbour.post, incident.id, stale), [neighbour.post, incident.id, stale]);
  return (
    <Marker position={[incident.lat, incident.lon]} icon={icon} title={`${neighbour.post} · ${incident.id}`}>
      <Tooltip direction="top" offset={[0, -10]}>
        <span>
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
    </Marker>
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
