// What the operator picked on the map (a click on a track or unit, or "show"
// in the incident panel): its name, kind, position in both forms, course and
// speed, the age of its fix, and follow (F). Refreshed once a second.
import { useEffect, useReducer } from 'react';
import type { VesselView } from '../../shared/contract';
import { formatDecimal, formatDegreesMinutes } from '../../shared/coordinates';
import { useT } from '../i18n/useT';
import { pictureNow, shownPicture, shownPositions, useConsole } from '../state/store';
import { vesselCategory } from '../state/vessels';
import type { Translator } from '../i18n/translate';
import { toggleFollow } from './mapActions';
import { formatAge, isStale } from './LiveCanvasLayer';
import { UnitEmergency } from '../devices/UnitEmergency';

export function PickedInfo() {
  const t = useT();
  const picked = useConsole((state) => state.picked);
  const following = useConsole((state) => state.following);
  const pick = useConsole((state) => state.pick);
  const [, refresh] = useReducer((count: number) => count + 1, 0);
  useEffect(() => {
    if (!picked) return;
    const timer = setInterval(refresh, 1000);
    return () => clearInterval(timer);
  }, [picked]);
  if (!picked) return null;
  if (picked.kind === 'vessel') return <VesselCard mmsi={Number(picked.id)} following={following} onClear={() => pick(null)} t={t} />;

  const now = pictureNow();
  const positions = shownPositions();
  const track = picked.kind === 'track' ? positions.tracks.get(picked.id) : undefined;
  const unit = picked.kind === 'unit' ? positions.units.get(picked.id) : undefined;
  const lat = track?.lat ?? unit?.lat ?? null;
  const lon = track?.lon ?? unit?.lon ?? null;
  const fix = track?.time ?? unit?.fixTime ?? null;
  const course = track?.course ?? unit?.heading ?? null;
  const speed = track?.speed ?? unit?.speed ?? null;
  const stale = isStale(fix, track?.stale ?? null, now);
  const name = track ? track.id : unit ? unit.callsign : picked.id;
  const what = track
    ? `${t(`trackClass.${track.cls}`)} · ${track.sensor}`
    : unit
      ? `${t(`unitType.${unit.type}`)} · ${t(`unitStatus.${unit.status}`)}`
      : t('picked.gone');

  return (
    <section className="picked-info" aria-label={t('picked.label')} data-testid="picked-info" data-kind={picked.kind} data-id={picked.id}>
      <header>
        <strong>{name}</strong>
        <button type="button" className="picked-clear" onClick={() => pick(null)} aria-label={t('picked.clear')} title={t('picked.clear')}>
          ×
        </button>
      </header>
      <p className="muted">{what}</p>
      {unit ? <UnitEmergency unit={unit.id} /> : null}
      {track ? <FusedIdentity track={track.id} t={t} /> : null}
      {lat !== null && lon !== null ? (
        <p className="mono">
          {formatDecimal(lat, lon)}
          <br />
          {formatDegreesMinutes(lat, lon)}
        </p>
      ) : null}
      <p>
        {course !== null ? `${t('picked.course')} ${Math.round(course)}° · ` : ''}
        {speed !== null ? `${speed.toFixed(1)} ${t('picked.knots')} · ` : ''}
        <span className={stale ? 'stale-age' : undefined} data-testid="picked-age">
          {fix !== null ? t('picked.age', { age: formatAge(now - fix) }) : t('picked.noFix')}
        </span>
      </p>
      <button type="button" aria-pressed={following} onClick={toggleFollow} data-testid="follow-toggle">
        {following ? t('picked.following') : t('picked.follow')} <kbd>F</kbd>
      </button>
    </section>
  );
}

/** On a radar track's card: the AIS ship fusion gave it, if any (docs/fusion.md). */
function FusedIdentity({ track, t }: { track: string; t: Translator }) {
  const vessel = shownPicture().vessels.ofTrack(track);
  if (!vessel)
    return (
      <p className="muted" data-testid="picked-ais">
        {t('picked.noAis')}
      </p>
    );
  return (
    <p data-testid="picked-ais">{t('picked.ais', { name: vessel.name ?? '—', mmsi: String(vessel.mmsi), confidence: formatConfidence(vessel.confidence) })}</p>
  );
}

function formatConfidence(confidence: number | null): string {
  return confidence === null ? '—' : `${Math.round(confidence * 100)} %`;
}

/** The card of an AIS ship: who it says it is, where it goes, where it is, and the radar track fused with it. */
function VesselCard({ mmsi, following, onClear, t }: { mmsi: number; following: boolean; onClear(): void; t: Translator }) {
  const vessel: VesselView | undefined = shownPicture().vessels.byMmsi.get(mmsi);
  const now = pictureNow();
  const name = vessel?.name ?? String(mmsi);
  const facts = vessel
    ? [
        t('vessel.mmsi', { mmsi: String(mmsi) }),
        vessel.callsign ? t('vessel.callsign', { callsign: vessel.callsign }) : null,
        vessel.imo ? t('vessel.imo', { imo: String(vessel.imo) }) : null,
      ].filter((fact): fact is string => fact !== null)
    : [];
  return (
    <section className="picked-info" aria-label={t('picked.label')} data-testid="picked-info" data-kind="vessel" data-id={String(mmsi)}>
      <header>
        <strong data-testid="vessel-card-name">{name}</strong>
        <button type="button" className="picked-clear" onClick={onClear} aria-label={t('picked.clear')} title={t('picked.clear')}>
          ×
        </button>
      </header>
      {!vessel ? (
        <p className="muted">{t('picked.gone')}</p>
      ) : (
        <>
          <p className="muted">
            {t(`vesselCategory.${vesselCategory(vessel.shipType)}`)}
            {vessel.nav !== null ? ` · ${t(`navStatus.${vessel.nav}` as 'navStatus.0')}` : ''}
          </p>
          <p>{facts.join(' · ')}</p>
          {vessel.length !== null && vessel.beam !== null ? (
            <p>
              {t('vessel.size', { length: String(vessel.length), beam: String(vessel.beam) })}
              {vessel.draught !== null ? ` · ${t('vessel.draught', { draught: vessel.draught.toFixed(1) })}` : ''}
            </p>
          ) : null}
          {vessel.destination ? (
            <p>
              {t('vessel.destination', { destination: vessel.destination })}
              {vessel.eta ? ` · ${t('vessel.eta', { eta: vessel.eta.replace('T', ' ') })}` : ''}
            </p>
          ) : null}
          {vessel.lat !== null && vessel.lon !== null ? (
            <p className="mono">
              {formatDecimal(vessel.lat, vessel.lon)}
              <br />
              {formatDegreesMinutes(vessel.lat, vessel.lon)}
            </p>
          ) : (
            <p className="muted">{t('vessel.noPosition')}</p>
          )}
          <p>
            {vessel.course !== null ? `${t('picked.course')} ${Math.round(vessel.course)}° · ` : ''}
            {vessel.heading !== null ? `${t('vessel.heading')} ${vessel.heading}° · ` : ''}
            {vessel.speed !== null ? `${vessel.speed.toFixed(1)} ${t('picked.knots')} · ` : ''}
            <span className={isStale(vessel.time, null, now) ? 'stale-age' : undefined}>
              {vessel.time !== null ? t('picked.age', { age: formatAge(now - vessel.time) }) : t('picked.noFix')}
            </span>
          </p>
          <p data-testid="vessel-fusion">
            {vessel.track ? t('vessel.fused', { track: vessel.track, confidence: formatConfidence(vessel.confidence) }) : t('vessel.notFused')}
          </p>
        </>
      )}
      <button type="button" aria-pressed={following} onClick={toggleFollow} data-testid="follow-toggle">
        {following ? t('picked.following') : t('picked.follow')} <kbd>F</kbd>
      </button>
    </section>
  );
}
