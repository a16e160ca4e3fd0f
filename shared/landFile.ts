// The shipped land polygons (assets/basemap/land.geojson: FR, GB, BE clipped
// to the Côte d'Opale box). Their schema, shared by the core's ETA model
// (electron/core/dispatch/waterGrid.ts) and the simulator's coast, so both
// read the same land; reading the file is each program's own.
import { z } from 'zod';

const Position = z.tuple([z.number(), z.number()]).rest(z.number());
/** The subset of GeoJSON the model reads: Polygon / MultiPolygon features with a `country` property. */
export const LandFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      properties: z.object({ country: z.string() }),
      geometry: z.discriminatedUnion('type', [
        z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
        z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
      ]),
    }),
  ),
});
export type LandFeatureCollection = z.infer<typeof LandFeatureCollection>;
