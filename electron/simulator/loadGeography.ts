// Reads the shipped land polygons and beach sectors into the simulator's
// Geography. Building the coast routes takes a fraction of a second, so the
// result is kept per file set and coast settings for the process's life.
import fs from 'node:fs';
import { describeIssues } from '../../shared/contract';
import { LandFeatureCollection } from '../../shared/landFile';
import { parseSectorFile } from '../../shared/sectorFile';
import { landFile, sectorsFile } from './assets';
import type { LonLat } from './model/geo';
import type { CoastOptions } from './model/geography';
import { Geography } from './model/geography';
import type { LandPolygon } from './model/land';

export function readLandPolygons(file = landFile): LandPolygon[] {
  // The same land the core's ETA model reads, checked by the same schema.
  const parsed = LandFeatureCollection.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data.features.flatMap((feature) => {
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    return polygons.map((rings) => ({ country: feature.properties.country, rings: rings.map((ring) => ring.map(([lon, lat]) => [lon, lat] as LonLat)) }));
  });
}

const cache = new Map<string, Geography>();

export function loadGeography(coast: CoastOptions, files: { land?: string; sectors?: string } = {}): Geography {
  const land = files.land ?? landFile;
  const sectors = files.sectors ?? sectorsFile;
  const key = JSON.stringify([land, sectors, coast]);
  let geography = cache.get(key);
  if (!geography) {
    geography = new Geography(readLandPolygons(land), parseSectorFile(fs.readFileSync(sectors, 'utf8'), sectors), coast);
    cache.set(key, geography);
  }
  return geography;
}
