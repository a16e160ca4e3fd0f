// Beach sectors: loaded from assets/sectors.geojson into the log on first
// start (one sector.defined event each), and projected into the sectors table.
import fs from 'node:fs';
import { Sector } from '../../../shared/contract';
import { SectorFileError, parseSectorFile } from '../../../shared/sectorFile';
import type { Db } from '../db/database';
import { logEvent, storedPayload, type EventKind } from '../log/eventCatalogue';
import type { StoredEvent } from '../log/hashChain';
import type { EventAppender } from '../log/logWriter';

export const SECTOR_DEFINED = 'sector.defined' satisfies EventKind;

/** Reads and validates a sectors GeoJSON file (shared/sectorFile.ts); errors name the feature and field. */
export function readSectorFile(file: string): Sector[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SectorFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSectorFile(text, file);
}

/** Projector for sector events: keeps the sectors table equal to the log. */
export function sectorProjector(db: Db): (events: readonly StoredEvent[]) => void {
  const upsert = db.prepare(
    `INSERT INTO sectors (id, name, risk, ord, ring, defined_seq) VALUES (@id, @name, @risk, @order, @ring, @seq)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, risk = excluded.risk, ord = excluded.ord, ring = excluded.ring, defined_seq = excluded.defined_seq`,
  );
  return (events) => {
    for (const event of events) {
      if (event.kind !== SECTOR_DEFINED) continue;
      const sector = Sector.parse(storedPayload<typeof SECTOR_DEFINED>(event));
      upsert.run({ ...sector, ring: JSON.stringify(sector.ring), seq: event.seq });
    }
  };
}

export function loadSectors(db: Db): Sector[] {
  const rows = db.prepare('SELECT id, name, risk, ord, ring FROM sectors ORDER BY ord').all() as {
    id: string;
    name: string;
    risk: Sector['risk'];
    ord: number;
    ring: string;
  }[];
  return rows.map((row) => ({ id: row.id, name: row.name, risk: row.risk, order: row.ord, ring: JSON.parse(row.ring) as Sector['ring'] }));
}

/** On a fresh database, logs the shipped sectors (one block). Returns how many were added. */
export function seedSectors(db: Db, log: EventAppender, file: string): number {
  const existing = db.prepare('SELECT count(*) AS n FROM sectors').get() as { n: number };
  if (existing.n > 0) return 0;
  const sectors = readSectorFile(file);
  log.append(sectors.map((sector) => logEvent(SECTOR_DEFINED, 'assets/sectors.geojson', sector)));
  return sectors.length;
}
