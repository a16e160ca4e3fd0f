// The sector editor (issue 6): rename, re-rate, redraw, import and export.
// Every change is one `sector.defined` event carrying the whole new
// definition, logged through the log's ordered writer with the supervisor in
// the operator column; the sector projector, the live alert index (core.ts)
// and replay all read that one kind. Roles: server/access.ts.
import type { Sector } from '../../../../shared/contract';
import type { Caller } from '../../accounts/sessions';
import type { Db } from '../../db/database';
import { logEvent } from '../../log/eventCatalogue';
import { SECTOR_DEFINED, loadSectors } from '../../picture/sectors';
import { Refusal } from '../../refusal';
import { checkRing, parseSectorImport, sameSector, sectorsToGeoJson } from '../../sectors/editor';
import { signedIn, type AppendToLog, type HandlersOf } from './common';

/** Where the console's edits come from, in the event's source column. */
export const SECTOR_EDITOR_SOURCE = 'sector-editor';

export function createSectorHandlers({ db, append }: { db: Db; append: AppendToLog }): HandlersOf<'sectors.'> {
  const record = (sectors: Sector[], caller: Caller | null) => {
    const { name } = signedIn(caller);
    append(sectors.map((sector) => ({ ...logEvent(SECTOR_DEFINED, SECTOR_EDITOR_SOURCE, sector), operator: name })));
  };
  return {
    'sectors.update': ({ id, name, risk, ring }, caller) => {
      const current = loadSectors(db).find((sector) => sector.id === id);
      if (!current) throw new Refusal('sector-unknown', { sector: id }, `no sector ${id}`);
      let newRing = current.ring;
      if (ring) {
        const checked = checkRing(ring);
        if (!checked.ok) throw new Refusal(checked.code, { sector: id, ...checked.params }, `${id}: ${checked.reason}`);
        newRing = checked.ring;
      }
      const next: Sector = { ...current, name: name ?? current.name, risk: risk ?? current.risk, ring: newRing };
      if (sameSector(current, next)) return { sector: current, changed: false };
      record([next], caller);
      return { sector: next, changed: true };
    },
    // A SectorImportError (any problem refuses the whole file) reaches the console as a refusal.
    'sectors.import': ({ geojson }, caller) => {
      const result = parseSectorImport(geojson, loadSectors(db));
      // One block: the whole import or nothing.
      if (result.changed.length > 0) record(result.changed, caller);
      return { changed: result.changed.map((sector) => sector.id), unchanged: result.unchanged };
    },
    'sectors.export': () => ({ geojson: sectorsToGeoJson(loadSectors(db)) }),
  };
}
