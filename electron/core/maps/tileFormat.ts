// Tile image formats: what the bytes say (magic numbers) and what the
// browser is told (content type). The bytes win over a pack's metadata.

export type TileFormat = 'png' | 'jpg' | 'webp' | 'avif' | 'pbf';

export const TILE_CONTENT_TYPES: Record<TileFormat, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  pbf: 'application/x-protobuf',
};

/** Raster formats the map draws; `pbf` (vector) is listed but not drawn. */
export const RASTER_FORMATS: ReadonlySet<TileFormat> = new Set(['png', 'jpg', 'webp', 'avif']);

/** The format of a tile from its first bytes, or undefined when they say nothing known. */
export function sniffTileFormat(bytes: Uint8Array): TileFormat | undefined {
  const at = (offset: number, ...values: number[]) => values.every((value, i) => bytes[offset + i] === value);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  // ISO-BMFF: "ftyp" box whose brand is avif or avis.
  if (at(4, 0x66, 0x74, 0x79, 0x70) && (at(8, 0x61, 0x76, 0x69, 0x66) || at(8, 0x61, 0x76, 0x69, 0x73))) return 'avif';
  // Vector tiles in MBTiles are gzip-compressed MVT.
  if (at(0, 0x1f, 0x8b)) return 'pbf';
  return undefined;
}

/** The MBTiles `format` metadata value, normalised; undefined when it is not one we know. */
export function formatFromMetadata(value: string | undefined): TileFormat | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
      return 'jpg';
    case 'webp':
      return 'webp';
    case 'avif':
      return 'avif';
    case 'pbf':
    case 'mvt':
      return 'pbf';
    default:
      return undefined;
  }
}
