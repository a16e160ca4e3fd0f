// PMTiles v3 reader, by hand: a 127-byte header, varint-encoded directories
// (the root within the first 16 KiB, leaves further in), JSON metadata, then
// tile data. Tiles are addressed by their Hilbert-curve id. The file is read
// through one read-only handle, in ranges — never whole.
import fs from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PackError, type PackInfo, type PackProblem, type TileReader } from './pack';
import type { TileFormat } from './tileFormat';

const HEADER_BYTES = 127;
const FIRST_READ = 16_384;
const MAGIC = Buffer.from('PMTiles', 'latin1');
/** Leaves nest at most this deep in any file a sane writer makes. */
const MAX_DEPTH = 4;
const LEAF_CACHE = 64;
/** The deepest zoom whose tile ids (all lower zooms' tiles, then 4^z) stay below 2^53. */
const MAX_ZOOM = 26;
const gunzip = promisify(zlib.gunzip);

/** tile_type byte → format; 0 (unknown) and others are refused. */
const TILE_TYPES: Record<number, TileFormat> = { 1: 'pbf', 2: 'png', 3: 'jpg', 4: 'webp', 5: 'avif' };
const COMPRESSIONS: Record<number, string> = { 0: 'unknown', 1: 'none', 2: 'gzip', 3: 'brotli', 4: 'zstd' };

export interface PmtilesHeader {
  rootOffset: number;
  rootLength: number;
  metadataOffset: number;
  metadataLength: number;
  leafOffset: number;
  leafLength: number;
  dataOffset: number;
  dataLength: number;
  internalCompression: number;
  tileCompression: number;
  tileType: number;
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number];
}

export interface DirectoryEntry {
  tileId: number;
  offset: number;
  length: number;
  /** 0: the entry points at a leaf directory; n: n consecutive tile ids share these bytes. */
  runLength: number;
}

export function parseHeader(bytes: Buffer, fileSize: number): PmtilesHeader {
  if (bytes.length < HEADER_BYTES) throw new PackError('pmtiles-header', `not a PMTiles file: ${fileSize} bytes, shorter than the 127-byte header`);
  if (!bytes.subarray(0, 7).equals(MAGIC)) throw new PackError('pmtiles-header', 'not a PMTiles file: the header does not start with "PMTiles"');
  const version = bytes[7]!;
  if (version !== 3) throw new PackError('pmtiles-version', `PMTiles version ${version}; only version 3 is read`);
  const u64 = (at: number) => {
    const value = bytes.readBigUInt64LE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PackError('pmtiles-header', `bad PMTiles header: a value at byte ${at} is out of range`);
    return Number(value);
  };
  const e7 = (at: number) => bytes.readInt32LE(at) / 1e7;
  const header: PmtilesHeader = {
    rootOffset: u64(8),
    rootLength: u64(16),
    metadataOffset: u64(24),
    metadataLength: u64(32),
    leafOffset: u64(40),
    leafLength: u64(48),
    dataOffset: u64(56),
    dataLength: u64(64),
    internalCompression: bytes[97]!,
    tileCompression: bytes[98]!,
    tileType: bytes[99]!,
    minZoom: bytes[100]!,
    maxZoom: bytes[101]!,
    bounds: [e7(102), e7(106), e7(110), e7(114)],
  };
  const inside = (offset: number, length: number, what: string) => {
    if (offset + length > fileSize)
      throw new PackError(
        'pmtiles-header',
        `bad PMTiles header: the ${what} (bytes ${offset}–${offset + length}) lies past the end of the ${fileSize}-byte file (truncated?)`,
      );
  };
  inside(header.rootOffset, header.rootLength, 'root directory');
  inside(header.metadataOffset, header.metadataLength, 'metadata');
  inside(header.leafOffset, header.leafLength, 'leaf directories');
  inside(header.dataOffset, header.dataLength, 'tile data');
  if (header.rootLength === 0) throw new PackError('pmtiles-header', 'bad PMTiles header: the root directory is empty');
  if (header.minZoom > header.maxZoom) throw new PackError('pmtiles-header', `bad PMTiles header: zoom ${header.minZoom}–${header.maxZoom}`);
  // Tile ids are plain numbers here: zoom 27's pass 2^53 and would lose precision.
  if (header.maxZoom > MAX_ZOOM)
    throw new PackError(
      'pmtiles-zoom',
      `the pack goes to zoom ${header.maxZoom}; PMTiles tiles beyond zoom ${MAX_ZOOM} are not read (their tile ids pass 2^53)`,
    );
  return header;
}

/** Unsigned LEB128 varint, up to 2^53. */
function readVarint(bytes: Buffer, position: { at: number }): number {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 8; i++) {
    if (position.at >= bytes.length) throw new PackError('damaged', 'a PMTiles directory ends in the middle of a number (damaged file)');
    const byte = bytes[position.at++]!;
    value += (byte & 0x7f) * factor;
    if (byte < 0x80) return value;
    factor *= 128;
  }
  throw new PackError('damaged', 'a PMTiles directory holds a number too large to be an offset (damaged file)');
}

export function decodeDirectory(bytes: Buffer): DirectoryEntry[] {
  const position = { at: 0 };
  const count = readVarint(bytes, position);
  // Each entry takes at least four bytes; more than that means garbage.
  if (count > bytes.length) throw new PackError('damaged', `a PMTiles directory claims ${count} entries in ${bytes.length} bytes (damaged file)`);
  const entries: DirectoryEntry[] = Array.from({ length: count }, () => ({ tileId: 0, offset: 0, length: 0, runLength: 0 }));
  let lastId = 0;
  for (const entry of entries) entry.tileId = lastId += readVarint(bytes, position);
  for (const entry of entries) entry.runLength = readVarint(bytes, position);
  for (const entry of entries) entry.length = readVarint(bytes, position);
  entries.forEach((entry, i) => {
    const value = readVarint(bytes, position);
    // 0 after the first entry: right after the previous one.
    entry.offset = value === 0 && i > 0 ? entries[i - 1]!.offset + entries[i - 1]!.length : value - 1;
  });
  return entries;
}

/** The Hilbert-curve tile id of z/x/y: all tiles of lower zooms come first. */
export function tileId(z: number, x: number, y: number): number {
  let base = 0;
  for (let level = 0; level < z; level++) base += 4 ** level;
  const n = 2 ** z;
  let d = 0;
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the curve stays continuous.
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - (x % s);
        y = s - 1 - (y % s);
      }
      [x, y] = [y, x];
    }
  }
  return base + d;
}

/** The entry holding `id` (a tile run or a leaf pointer), by binary search. */
export function findEntry(entries: DirectoryEntry[], id: number): DirectoryEntry | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const tile = entries[mid]!.tileId;
    if (tile < id) lo = mid + 1;
    else if (tile > id) hi = mid - 1;
    else return entries[mid];
  }
  // The nearest entry below: a run covering id, or the leaf that holds it.
  const below = entries[hi];
  if (!below) return undefined;
  if (below.runLength === 0) return below;
  return id - below.tileId < below.runLength ? below : undefined;
}

export async function openPmtiles(file: string): Promise<TileReader> {
  const handle = await fs.promises.open(file, 'r');
  try {
    return await readerFor(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readerFor(handle: fs.promises.FileHandle): Promise<TileReader> {
  const fileSize = (await handle.stat()).size;
  if (fileSize === 0) throw new PackError('empty', 'the file is empty (0 bytes)');
  const read = async (offset: number, length: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    if (bytesRead < length)
      throw new PackError('damaged', `the file ends at byte ${offset + bytesRead}, before the ${length} bytes wanted at ${offset} (truncated?)`);
    return buffer;
  };
  const first = Buffer.alloc(Math.min(FIRST_READ, fileSize));
  await handle.read(first, 0, first.length, 0);
  const header = parseHeader(first, fileSize);
  const compression = COMPRESSIONS[header.internalCompression] ?? `code ${header.internalCompression}`;
  if (header.internalCompression !== 1 && header.internalCompression !== 2)
    throw new PackError('pmtiles-compression', `PMTiles directories compressed with ${compression}; only none and gzip are read`);
  const format = TILE_TYPES[header.tileType];
  if (!format) throw new PackError('unknown-format', `unknown PMTiles tile type ${header.tileType} (1 MVT, 2 PNG, 3 JPEG, 4 WebP, 5 AVIF are known)`);
  if (header.tileCompression > 2)
    throw new PackError(
      'pmtiles-compression',
      `tiles compressed with ${COMPRESSIONS[header.tileCompression] ?? `code ${header.tileCompression}`}; only none and gzip are served`,
    );

  const inflate = async (bytes: Buffer): Promise<Buffer> => {
    if (header.internalCompression !== 2) return bytes;
    try {
      return await gunzip(bytes);
    } catch (error) {
      throw new PackError('damaged', `a compressed PMTiles directory does not inflate (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  const rootBytes =
    header.rootOffset + header.rootLength <= first.length
      ? first.subarray(header.rootOffset, header.rootOffset + header.rootLength)
      : await read(header.rootOffset, header.rootLength);
  const root = decodeDirectory(await inflate(rootBytes));
  if (root.length === 0) throw new PackError('no-tiles', 'the pack holds no tiles (empty root directory)');

  const warnings: PackProblem[] = [];
  let metadata: Record<string, unknown> = {};
  if (header.metadataLength > 0) {
    try {
      const parsed: unknown = JSON.parse((await inflate(await read(header.metadataOffset, header.metadataLength))).toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) metadata = parsed as Record<string, unknown>;
    } catch (error) {
      warnings.push({
        code: 'damaged',
        message: `the JSON metadata is unreadable (${error instanceof Error ? error.message : String(error)}); listed by file name`,
      });
    }
  }
  const text = (key: string) => (typeof metadata[key] === 'string' && (metadata[key] as string).trim()) || undefined;

  // Leaf directories are small and read again and again while panning: keep the last few.
  const leaves = new Map<number, Promise<DirectoryEntry[]>>();
  const leaf = (entry: DirectoryEntry): Promise<DirectoryEntry[]> => {
    const offset = header.leafOffset + entry.offset;
    let cached = leaves.get(offset);
    if (cached) {
      leaves.delete(offset);
      leaves.set(offset, cached);
      return cached;
    }
    if (offset + entry.length > header.leafOffset + header.leafLength)
      return Promise.reject(new PackError('damaged', 'a PMTiles leaf directory points outside its section (damaged file)'));
    cached = read(offset, entry.length).then(inflate).then(decodeDirectory);
    cached.catch(() => leaves.delete(offset));
    leaves.set(offset, cached);
    if (leaves.size > LEAF_CACHE) leaves.delete(leaves.keys().next().value!);
    return cached;
  };

  const bounds = header.bounds;
  const info: PackInfo = {
    name: text('name'),
    format,
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    bounds: bounds[0] < bounds[2] && bounds[1] < bounds[3] && bounds[0] >= -180 && bounds[2] <= 180 ? bounds : undefined,
    attribution: text('attribution'),
    warnings,
  };
  let closed = false;
  return {
    info,
    async tile(z, x, y) {
      if (closed || z < header.minZoom || z > header.maxZoom) return undefined;
      const id = tileId(z, x, y);
      let directory = root;
      for (let depth = 0; depth < MAX_DEPTH; depth++) {
        const entry = findEntry(directory, id);
        if (!entry) return undefined;
        if (entry.runLength > 0) {
          if (entry.length === 0) return undefined;
          if (header.dataOffset + entry.offset + entry.length > fileSize)
            throw new PackError('damaged', `tile ${z}/${x}/${y} lies past the end of the file (truncated?)`);
          return read(header.dataOffset + entry.offset, entry.length);
        }
        directory = await leaf(entry);
      }
      throw new PackError('damaged', `PMTiles leaf directories nest deeper than ${MAX_DEPTH} (damaged file)`);
    },
    // Tiles gzip-compressed inside the file are sent as they are, with content-encoding.
    encoding: header.tileCompression === 2 ? 'gzip' : undefined,
    async close() {
      closed = true;
      await handle.close();
    },
  };
}
