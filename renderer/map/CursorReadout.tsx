// The cursor's position in both forms operators use.
import { formatDecimal, formatDegreesMinutes } from '../../shared/coordinates';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function CursorReadout() {
  const t = useT();
  const cursor = useConsole((state) => state.cursor);
  return (
    <div className="cursor-readout" aria-live="off" data-testid="cursor-readout">
      {cursor ? (
        <>
          <span>{formatDecimal(cursor.lat, cursor.lon)}</span>
          <span>{formatDegreesMinutes(cursor.lat, cursor.lon)}</span>
        </>
      ) : (
        <span className="muted">{t('map.cursorHint')}</span>
      )}
    </div>
  );
}
