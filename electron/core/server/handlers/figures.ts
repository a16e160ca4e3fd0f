// Figures (issue 5): the figures of a time range, and the same as CSV,
// computed from the log by electron/core/figures — or from one of the post's
// archive files.
import type { Clock } from '../../../../shared/clock';
import type { FigureRange } from '../../../../shared/contract';
import type { ArchiveShelf } from '../../archive/archiveShelf';
import type { Db } from '../../db/database';
import { figuresFromLog, type FigureOptions } from '../../figures/figures';
import { figuresToCsv } from '../../figures/figuresCsv';
import type { LivePicture } from '../../picture/livePicture';
import { loadSectors } from '../../picture/sectors';
import type { HandlersOf } from './common';

export interface FigureContext {
  db: Db;
  /** The post's archive files: a range with `archive` is figured from that file, read-only. */
  shelf: ArchiveShelf;
  picture: LivePicture;
  clock: Clock;
}

/** What the figures name: units by callsign and type, sectors by name, as they are now. */
function optionsFor({ db, picture, clock }: FigureContext): FigureOptions {
  return {
    now: clock.now(),
    units: [...picture.units.values()].map(({ id, callsign, type }) => ({ id, callsign, type })),
    sectorNames: new Map(loadSectors(db).map((sector) => [sector.id, sector.name])),
  };
}

export function createFigureHandlers(context: FigureContext): HandlersOf<'figures.'> {
  // Units and sectors are named as they are now, for an archive too (the same post's).
  const figures = ({ archive, ...range }: FigureRange) =>
    archive === undefined
      ? figuresFromLog(context.db, range, optionsFor(context))
      : context.shelf.use(archive, ({ archive: opened }) => figuresFromLog(opened.db, range, optionsFor(context)));
  return {
    'figures.get': (range) => figures(range),
    'figures.csv': async (range) => ({ csv: figuresToCsv(await figures(range)) }),
  };
}
