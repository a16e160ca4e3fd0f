// The cursor's position in both forms operators use.
import { formatDecimal, formatDegreesMinutes } from '../../shared/coordinates';
import { useConsole } from '../state/store';

export function CursorReadout() {
  const cursor = useConsole((state) => state.cursor);
  return (
    <div className="cursor-readout" aria-live="off" data-testid="cursor-readout">
      {cursor ? (
        <>
          <span>{formatDecimal(cursor.lat, cursor.lon)}</span>
          <span>{formatDegreesMinutes(cursor.lat, cursor.lon)}</span>
        </>
      ) : (
        <span className="muted">Move over the map for coordinates</span>
      )}
    </div>
  );
}
