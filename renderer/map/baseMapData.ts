// Loads the shipped offline base map (land, places, attribution) from the
// core's /assets/ folder: static open data, same origin, no tile server.
import { z } from 'zod';
import { describeIssues } from '../../shared/contract';

const Geometry = z.object({ type: z.string(), coordinates: z.unknown() });
const LandCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), properties: z.object({ country: z.string() }), geometry: Geometry })),
});
const PlaceCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ name: z.string(), country: z.string(), population: z.number() }),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    }),
  ),
});
const Attribution = z.object({ text: z.string() });

export type LandCollection = z.infer<typeof LandCollection>;
export type Place = z.infer<typeof PlaceCollection>['features'][number];

export interface BaseMapData {
  land: LandCollection;
  places: Place[];
  attribution: string;
}

async function load<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(`/assets/basemap/${file}`);
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export async function loadBaseMap(): Promise<BaseMapData> {
  const [land, places, attribution] = await Promise.all([
    load('land.geojson', LandCollection),
    load('places.geojson', PlaceCollection),
    load('attribution.json', Attribution),
  ]);
  return { land, places: places.features, attribution: attribution.text };
}
