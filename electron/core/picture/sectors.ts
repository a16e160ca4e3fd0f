// Beach sectors: loaded from assets/sectors.geojson into the log on first
// start (one sector.defined event each), and projected into the sectors table.
import fs from 'node:fs';
import { z } from 'zod';
import { Position, RiskLevel, Sector, describeIssues } from '../../../shared/contract';
import type { Db } from '../db/database';
import { logEvent, storedPayload, type EventKind } from '../log/eventCatalogue';
import type { StoredEvent } from '../log/hashChain';
import type { EventAppender } from '../log/logWriter';

export const SECTOR_DEFINED = 'sector.defined' satisfies EventKind;

/** One feature of a sectors GeoJSON file (also the sector editor's import, sectors/editor.ts). */
export const SectorFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    id: Sector.shape.id,
    name: Sector.shape.name,
    risk: RiskLevel,
    order: Sector.shape.order,
  }),
  geometry: z.object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(Position).min(4)).min(1),
  }),
});
const SectorCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).min(1),
});

export class SectorFileError extends Error {
  override name = 'SectorFileError';
}

/** Reads and validates a sectors GeoJSON file; errors name the feature and field. */
export function readSectorFile(file: string): Sector[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SectorFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const collection = SectorCollection.safeParse(parsed);
  if (!collection.success) throw new SectorFileError(`${file}: ${describeIssues(collection.error)}`);
  const sectors: Sector[] = [];
  const seen = new Set<string>();
  collection.data.features.forEach((raw, index) => {
    const feature = SectorFeature.safeParse(raw);
    if (!feature.success) throw new SectorFileError(`${file}: ${describeIssues(feature.error, `features[${index}]`)}`);
    const { id, name, risk, order } = feature.data.properties;
    if (seen.has(id)) throw new SectorFileError(`${file}: features[${index}].properties.id: duplicate sector id ${id}`);
    seen.add(id);
    const ring = feature.data.geometry.coordinates[0]!;
    const [first, last] = [ring[0]!, ring[ring.length - 1]!];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new SectorFileError(`${file}: features[${index}].geometry: ring is not closed`);
    sectors.push({ id, name, risk, order, ring });
  });
  return sectors;
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
