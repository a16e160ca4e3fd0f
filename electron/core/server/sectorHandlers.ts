// The sector editor's requests (issue 6): rename, re-rate, redraw, import and
// export. Every change is one `sector.defined` event carrying the whole new
// definition, logged through the log writer's ordered path with the supervisor in
// the operator column; the sector projector, the live alert index (core.ts)
// and replay all read that one kind. Roles: server/access.ts.
import type { RequestName, Sector } from '../../../shared/contract';
import type { Caller } from '../accounts/sessions';
import type { Db } from '../db/database';
import type { LogWriter } from '../log/logWriter';
import { pictureEvent } from '../picture/pictureEvents';
import { SECTOR_DEFINED, loadSectors } from '../picture/sectors';
import { SectorImportError, checkRing, parseSectorImport, sameSector, sectorsToGeoJson } from '../sectors/editor';
import { RequestRefused, type Handlers } from './handlers';

export type SectorRequest = Extract<RequestName, `sectors.${string}`>;

/** Where the console's edits come from, in the event's source column. */
export const SECTOR_EDITOR_SOURCE = 'sector-editor';

export function createSectorHandlers({ db, writer }: { db: Db; writer: LogWriter }): Pick<Handlers, SectorRequest> {
  const record = (sectors: Sector[], caller: Caller | null) => {
    if (!caller) throw new RequestRefused('sign in first');
    writer.append(sectors.map((sector) => ({ ...pictureEvent(SECTOR_DEFINED, SECTOR_EDITOR_SOURCE, sector), operator: caller.name })));
  };
  return {
    'sectors.update': ({ id, name, risk, ring }, caller) => {
      const current = loadSectors(db).find((sector) => sector.id === id);
      if (!current) throw new RequestRefused(`no sector ${id}`);
      let newRing = current.ring;
      if (ring) {
        const checked = checkRing(ring);
        if (!checked.ok) throw new RequestRefused(`${id}: ${checked.reason}`);
        newRing = checked.ring;
      }
      const next: Sector = { ...current, name: name ?? current.name, risk: risk ?? current.risk, ring: newRing };
      if (sameSector(current, next)) return { sector: current, changed: false };
      record([next], caller);
      return { sector: next, changed: true };
    },
    'sectors.import': ({ geojson }, caller) => {
      let result;
      try {
        result = parseSectorImport(geojson, loadSectors(db));
      } catch (error) {
        if (error instanceof SectorImportError) throw new RequestRefused(error.message);
        throw error;
      }
      // One block: the whole import or nothing.
      if (result.changed.length > 0) record(result.changed, caller);
      return { changed: result.changed.map((sector) => sector.id), unchanged: result.unchanged };
    },
    'sectors.export': () => ({ geojson: sectorsToGeoJson(loadSectors(db)) }),
  };
}
