// Beach sectors, and the sector editor's requests (issue 6): supervisors
// rename, re-rate, redraw, import and export the sectors. Each change is a
// `sector.defined` event (the whole new definition, with the supervisor in the
// operator column); an invalid ring is refused with a reason.
import { z } from 'zod';
import { Position } from './geo';

export const RiskLevel = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const Sector = z.object({
  id: z.string().regex(/^S\d{2,3}$/, 'sector id is S followed by digits'),
  name: z.string().min(1).max(80),
  risk: RiskLevel,
  order: z.number().int().positive(),
  /** Exterior ring, closed, [lon, lat]. */
  ring: z.array(Position).min(4),
});
export type Sector = z.infer<typeof Sector>;

export const sectorRequests = {
  /** Rename, set the risk level or redraw one sector (at least one of the three). */
  'sectors.update': {
    params: z
      .object({
        id: Sector.shape.id,
        name: z.string().trim().min(1).max(80).optional(),
        risk: RiskLevel.optional(),
        ring: z.array(z.array(z.number()).length(2)).min(1).max(1001).optional(),
      })
      .strict()
      .refine((p) => p.name !== undefined || p.risk !== undefined || p.ring !== undefined, { message: 'give a name, a risk level or a ring' }),
    result: z.object({ sector: Sector, changed: z.boolean() }),
  },
  /** A FeatureCollection in the shape of assets/sectors.geojson; any invalid feature refuses the whole import. */
  'sectors.import': {
    params: z.object({ geojson: z.string().min(1).max(5_000_000) }).strict(),
    result: z.object({ changed: z.array(Sector.shape.id), unchanged: z.number().int().nonnegative() }),
  },
  /** The current sectors as GeoJSON (the shape sectors.import reads). */
  'sectors.export': { params: z.object({}).strict(), result: z.object({ geojson: z.string() }) },
} as const;

export const sectorEvents = {
  /** The sectors after an edit or import: all of them, in order. */
  'sectors.changed': z.object({ sectors: z.array(Sector) }),
} as const;
