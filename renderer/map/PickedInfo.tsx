// What the operator picked on the map (a click on a track or unit, or "show"
// in the incident panel): its name, kind, position in both forms, course and
// speed, the age of its fix, and follow (F). Refreshed once a second.
import { useEffect, useReducer } from 'react';
import { formatDecimal, formatDegreesMinutes } from '../../shared/coordinates';
import { useT } from '../i18n/useT';
import { pictureNow, shownPositions, useConsole } from '../state/store';
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
