// The cursor's position in the forms operators use: decimal degrees,
// degrees-minutes, degrees-minutes-seconds and MGRS (issue 6).
import { formatDecimal, formatDegreesMinutes, formatDms, formatMgrs } from '../../shared/coordinates';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function CursorReadout() {
  const t = useT();
  const cursor = useConsole((state) => state.cursor);
  return (
    <div className="cursor-readout" aria-live="off" data-testid="cursor-readout">
      {cursor ? (
        <>
          <span title={t('cursor.dd')}>{formatDecimal(cursor.lat, cursor.lon)}</span>
          <span>{formatDegreesMinutes(cursor.lat, cursor.lon)}</span>
          <span title={t('cursor.dms')} data-testid="cursor-dms">
            {formatDms(cursor.lat, cursor.lon)}
          </span>
          <span title={t('cursor.mgrs')} data-testid="cursor-mgrs">
            {formatMgrs(cursor.lat, cursor.lon) ?? t('cursor.noMgrs')}
          </span>
        </>
      ) : (
        <span className="muted">{t('map.cursorHint')}</span>
      )}
    </div>
  );
}
