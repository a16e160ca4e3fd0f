// The contract's figures requests (issue 5): the figures of a time range,
// and the same as CSV, computed from the log by electron/core/figures.
import type { Clock } from '../../../shared/clock';
import type { FigureRange, RequestName } from '../../../shared/contract';
import type { Db } from '../db/database';
import { figuresFromLog, type FigureOptions } from '../figures/figures';
import { figuresToCsv } from '../figures/figuresCsv';
import type { LivePicture } from '../picture/livePicture';
import { loadSectors } from '../picture/sectors';
import type { Handlers } from './handlers';

type FigureRequest = Extract<RequestName, `figures.${string}`>;

export interface FigureContext {
  db: Db;
  picture: LivePicture;
  clock: Clock;
}

/**
 * Shifts (issue 5) extension point: a request naming a shift resolves to the
 * shift's range `{ from: openedAt, to: closedAt ?? now }` and, if wanted, an
 * `include` filter on the events' shift — both go through here.
 */
function optionsFor({ db, picture, clock }: FigureContext): FigureOptions {
  return {
    now: clock.now(),
    units: [...picture.units.values()].map(({ id, callsign, type }) => ({ id, callsign, type })),
    sectorNames: new Map(loadSectors(db).map((sector) => [sector.id, sector.name])),
  };
}

export function createFigureHandlers(context: FigureContext): Pick<Handlers, FigureRequest> {
  const figures = (range: FigureRange) => figuresFromLog(context.db, range, optionsFor(context));
  return {
    'figures.get': (range) => figures(range),
    'figures.csv': async (range) => ({ csv: figuresToCsv(await figures(range)) }),
  };
}
