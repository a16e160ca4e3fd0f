// Writers for the map-pack test fixtures: solid-colour PNG tiles, small
// MBTiles (table or view, metadata optional) and PMTiles v3 (gzip
// directories, optional leaf directories, run-length entries). Used by the
// unit tests, the end-to-end spec and the benchmark; never by the app.
import fs from 'node:fs';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An opaque RGB PNG of one colour. */
export function solidPng(rgb: [number, number, number], size = 256): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const row = Buffer.alloc(1 + size * 3);
  for (let i = 0; i < size; i++) row.set(rgb, 1 + i * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Decodes an 8-bit RGB or RGBA PNG (what Chromium's screenshots are) to RGBA pixels. */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  let at = 8;
  let width = 0;
  let height = 0;
  let colourType = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs');
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (!channels) throw new Error(`PNG colour type ${colourType} not handled`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prior = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels]! : 0;
      const b = prior[i]!;
      const c = i >= channels ? prior[i - channels]! : 0;
      let value = line[i]!;
      if (filter === 1) value += a;
      else if (filter === 2) value += b;
      else if (filter === 3) value += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        value += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[i] = value & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = pixels[i * channels]!;
    rgba[i * 4 + 1] = pixels[i * channels + 1]!;
    rgba[i * 4 + 2] = pixels[i * channels + 2]!;
    rgba[i * 4 + 3] = channels === 4 ? pixels[i * channels + 3]! : 255;
  }
  return { width, height, rgba };
}

export interface FixtureTile {
  z: number;
  x: number;
  /** XYZ row (as Leaflet asks); writers flip it for MBTiles. */
  y: number;
  data: Buffer | null;
}

/** Every XYZ tile of zooms [minZoom, maxZoom] covering a box of degrees. */
export function tilesCovering(
  bounds: [number, number, number, number],
  minZoom: number,
  maxZoom: number,
  data: (z: number, x: number, y: number) => Buffer,
): FixtureTile[] {
  const [west, south, east, north] = bounds;
  const tiles: FixtureTile[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const n = 2 ** z;
    const col = (lon: number) => Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
    const row = (lat: number) => {
      const r = (lat * Math.PI) / 180;
      return Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n));
    };
    for (let x = col(west); x <= col(east); x++) for (let y = row(north); y <= row(south); y++) tiles.push({ z, x, y, data: data(z, x, y) });
  }
  return tiles;
}

export interface MbtilesOptions {
  metadata?: Record<string, string> | null;
  /** Write `tiles` as a view over map + images (as node-mbtiles and others do). */
  asView?: boolean;
}

export function writeMbtiles(file: string, tiles: FixtureTile[], { metadata = {}, asView = false }: MbtilesOptions = {}): void {
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  if (metadata) {
    db.exec('CREATE TABLE metadata (name TEXT, value TEXT)');
    const put = db.prepare('INSERT INTO metadata VALUES (?, ?)');
    for (const [name, value] of Object.entries(metadata)) put.run(name, value);
  }
  if (asView) {
    db.exec(`CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
      CREATE TABLE images (tile_data BLOB, tile_id TEXT);
      CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
      CREATE UNIQUE INDEX images_id ON images (tile_id);
      CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column, map.tile_row AS tile_row, images.tile_data AS tile_data FROM map JOIN images ON images.tile_id = map.tile_id;`);
    const map = db.prepare('INSERT INTO map VALUES (?, ?, ?, ?)');
    const image = db.prepare('INSERT OR IGNORE INTO images VALUES (?, ?)');
    db.transaction(() => {
      for (const tile of tiles) {
        const id = tile.data ? tile.data.toString('base64').slice(-40) + tile.data.length : `null-${tile.z}-${tile.x}-${tile.y}`;
        map.run(tile.z, tile.x, 2 ** tile.z - 1 - tile.y, id);
        image.run(tile.data, id);
      }
    })();
  } else {
    db.exec(
      'CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);',
    );
    const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const tile of tiles) put.run(tile.z, tile.x, 2 ** tile.z - 1 - tile.y, tile.data);
    })();
  }
  db.close();
}

// --- PMTiles v3 ---------------------------------------------------------

function zxyToId(z: number, x: number, y: number): number {
  let base = 0;
  for (let level = 0; level < z; level++) base += 4 ** level;
  // The classic Hilbert xy→d (Wikipedia's form), written independently of the reader's.
  const n = 2 ** z;
  let d = 0;
  for (let s = n / 2; s > 0; s /= 2) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = n - 1 - x;
        y = n - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return base + d;
}

function varint(value: number, out: number[]): void {
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

function encodeDirectory(entries: Entry[]): Buffer {
  const out: number[] = [];
  varint(entries.length, out);
  let last = 0;
  for (const entry of entries) {
    varint(entry.tileId - last, out);
    last = entry.tileId;
  }
  for (const entry of entries) varint(entry.runLength, out);
  for (const entry of entries) varint(entry.length, out);
  entries.forEach((entry, i) => {
    const previous = entries[i - 1];
    varint(previous && entry.offset === previous.offset + previous.length ? 0 : entry.offset + 1, out);
  });
  return Buffer.from(out);
}

export interface PmtilesOptions {
  tileType?: number;
  metadata?: Record<string, unknown>;
  /** Entries per leaf directory; unset: everything in the root. */
  leafSize?: number;
  internalCompression?: 1 | 2;
  bounds?: [number, number, number, number];
}

export function buildPmtiles(
  tiles: FixtureTile[],
  { tileType = 2, metadata = {}, leafSize, internalCompression = 2, bounds = [-180, -85, 180, 85] }: PmtilesOptions = {},
): Buffer {
  const compress = (bytes: Buffer) => (internalCompression === 2 ? zlib.gzipSync(bytes) : bytes);
  const sorted = tiles
    .filter((tile) => tile.data)
    .map((tile) => ({ id: zxyToId(tile.z, tile.x, tile.y), data: tile.data! }))
    .sort((a, b) => a.id - b.id);
  const blobs: Buffer[] = [];
  const offsets = new Map<string, { offset: number; length: number }>();
  let dataLength = 0;
  const entries: Entry[] = [];
  for (const tile of sorted) {
    const key = tile.data.toString('base64');
    let place = offsets.get(key);
    if (!place) {
      place = { offset: dataLength, length: tile.data.length };
      offsets.set(key, place);
      blobs.push(tile.data);
      dataLength += tile.data.length;
    }
    const last = entries[entries.length - 1];
    if (last && last.offset === place.offset && last.tileId + last.runLength === tile.id) last.runLength += 1;
    else entries.push({ tileId: tile.id, offset: place.offset, length: place.length, runLength: 1 });
  }
  let root: Buffer;
  let leaves = Buffer.alloc(0);
  if (leafSize && entries.length > leafSize) {
    const leafParts: Buffer[] = [];
    const rootEntries: Entry[] = [];
    let leafOffset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const part = compress(encodeDirectory(entries.slice(i, i + leafSize)));
      rootEntries.push({ tileId: entries[i]!.tileId, offset: leafOffset, length: part.length, runLength: 0 });
      leafParts.push(part);
      leafOffset += part.length;
    }
    root = compress(encodeDirectory(rootEntries));
    leaves = Buffer.concat(leafParts);
  } else root = compress(encodeDirectory(entries));
  const meta = compress(Buffer.from(JSON.stringify(metadata)));
  const zooms = tiles.map((tile) => tile.z);
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header[7] = 3;
  const u64 = (at: number, value: number) => header.writeBigUInt64LE(BigInt(value), at);
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + meta.length;
  const dataOffset = leafOffset + leaves.length;
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, meta.length);
  u64(40, leafOffset);
  u64(48, leaves.length);
  u64(56, dataOffset);
  u64(64, dataLength);
  u64(72, sorted.length);
  u64(80, entries.length);
  u64(88, blobs.length);
  header[96] = 1; // clustered
  header[97] = internalCompression;
  header[98] = 1; // tiles uncompressed
  header[99] = tileType;
  header[100] = Math.min(...zooms);
  header[101] = Math.max(...zooms);
  header.writeInt32LE(Math.round(bounds[0] * 1e7), 102);
  header.writeInt32LE(Math.round(bounds[1] * 1e7), 106);
  header.writeInt32LE(Math.round(bounds[2] * 1e7), 110);
  header.writeInt32LE(Math.round(bounds[3] * 1e7), 114);
  header[118] = Math.min(...zooms);
  return Buffer.concat([header, root, meta, leaves, ...blobs]);
}

export function writePmtiles(file: string, tiles: FixtureTile[], options?: PmtilesOptions): void {
  fs.writeFileSync(file, buildPmtiles(tiles, options));
}
