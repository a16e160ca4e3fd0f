// Map packs (issue 6): MBTiles and PMTiles files from the maps folder or
// opened by path (docs/maps.md).
import { z } from 'zod';
import { MapPackProblemCode } from './refusals';

export const MapPackProblem = z.object({ code: MapPackProblemCode, message: z.string() });
export type MapPackProblem = z.infer<typeof MapPackProblem>;

export const MapPackView = z.object({
  /** Stable per file path; tiles are at `${tilePath}/${id}/{z}/{x}/{y}`. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  /** The pack's metadata name, or its file name. */
  name: z.string(),
  file: z.string(),
  path: z.string(),
  source: z.enum(['folder', 'opened']),
  kind: z.enum(['mbtiles', 'pmtiles']),
  /** ok: drawn; unsupported: read but not drawn (vector tiles); error: unusable (see problem). */
  status: z.enum(['ok', 'unsupported', 'error']),
  problem: MapPackProblem.nullable(),
  warnings: z.array(MapPackProblem),
  format: z.enum(['png', 'jpg', 'webp', 'avif', 'pbf']).nullable(),
  minZoom: z.number().int().nullable(),
  maxZoom: z.number().int().nullable(),
  /** [west, south, east, north] */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  attribution: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
});
export type MapPackView = z.infer<typeof MapPackView>;

export const MapPackList = z.object({
  folder: z.string(),
  folderProblem: z.string().nullable(),
  /** Per-launch tile address prefix (a capability for tiles only, never the API secret). */
  tilePath: z.string().regex(/^\/maps\/[0-9a-f]{32}$/),
  /** The remembered base map, null for the bundled coast. */
  chosen: z.string().nullable(),
  packs: z.array(MapPackView),
});
export type MapPackList = z.infer<typeof MapPackList>;

export const mapRequests = {
  /** Every pack (rescans the maps folder), the remembered choice and the tile address prefix. */
  'maps.list': { params: z.object({}).strict(), result: MapPackList },
  /** Registers a pack file by path (nothing is copied); refused with the file's problem. */
  'maps.open': { params: z.object({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ pack: MapPackView }) },
  /** Forgets a pack opened by path. */
  'maps.forget': { params: z.object({ id: z.string().max(64) }).strict(), result: z.object({ forgotten: z.boolean() }) },
  /** The base map every console shows (null: the bundled coast); remembered across restarts. */
  'maps.choose': { params: z.object({ id: z.string().max(64).nullable() }).strict(), result: z.object({ chosen: z.string().nullable() }) },
} as const;
