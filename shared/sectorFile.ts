// The beach sectors file (assets/sectors.geojson, and what the sector editor
// imports and exports): a GeoJSON FeatureCollection, one Polygon feature per
// sector. Its schema and the pure parse, shared by the core (which seeds the
// log from it) and the simulator (which puts its launches on these beaches);
// reading the file is each program's own.
import { z } from 'zod';
import { Position, RiskLevel, Sector, describeIssues } from './contract';
import { parseJsonFile } from './jsonFile';

/** One feature of a sectors GeoJSON file (also the sector editor's import, electron/core/sectors/editor.ts). */
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

/** Parses and validates a sectors GeoJSON text; errors name the feature and field. */
export function parseSectorFile(text: string, file: string): Sector[] {
  const collection = parseJsonFile(text, file, SectorCollection, (message) => new SectorFileError(message));
  const sectors: Sector[] = [];
  const seen = new Set<string>();
  collection.features.forEach((raw, index) => {
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
