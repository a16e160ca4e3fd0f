// MBTiles 1.3 reader: an SQLite file opened read-only (nothing is ever
// written to it, not even a WAL or journal switch). `tiles` may be a table
// or a view (many tools write a deduplicating `map` + `images` pair behind
// a view); metadata rows are optional and the tile format is sniffed from
// the bytes when `format` is missing. Rows are TMS: row = 2^z − 1 − y.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { PackError, parseBounds, type PackInfo, type PackProblem, type TileReader } from './pack';
import { formatFromMetadata, sniffTileFormat } from './tileFormat';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const TILE_COLUMNS = ['zoom_level', 'tile_column', 'tile_row', 'tile_data'];

/** Plain words for SQLite's errors on a damaged or foreign file. */
function sqliteProblem(error: unknown): PackError {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CORRUPT' || /malformed|corrupt/i.test(text)) return new PackError('damaged', `the file is damaged (SQLite: ${text})`);
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(text)) return new PackError('not-sqlite', `not an SQLite database (${text})`);
  return new PackError('unreadable', `SQLite could not read it: ${text}`);
}

export async function openMbtiles(file: string): Promise<TileReader> {
  // Cheap checks first, with plain messages, before SQLite sees the file.
  const handle = await fs.promises.open(file, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(100);
    await handle.read(head, 0, 100, 0);
  } finally {
    await handle.close();
  }
  if (size === 0) throw new PackError('empty', 'the file is empty (0 bytes)');
  if (size < 100 || !head.subarray(0, 16).equals(SQLITE_MAGIC))
    throw new PackError(
      'not-sqlite',
      `not an SQLite database (the file starts with ${JSON.stringify(
        head
          .subarray(0, 16)
          .toString('latin1')
          .replace(/[^\x20-\x7e]/g, '.'),
      )})`,
    );

  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw sqliteProblem(error);
  }
  try {
    return readerFor(db);
  } catch (error) {
    db.close();
    throw error instanceof PackError ? error : sqliteProblem(error);
  }
}

function readerFor(db: Database.Database): TileReader {
  // A foreign writer must never change under us mid-read; we never write.
  db.pragma('query_only = ON');
  const objects = db.prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string; type: string }[];
  const tiles = objects.find((object) => object.name === 'tiles');
  if (!tiles) throw new PackError('not-mbtiles', 'not an MBTiles file: it has no `tiles` table or view');
  const columns = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all('tiles') as { name: string }[]).map((row) => row.name));
  const missing = TILE_COLUMNS.filter((column) => !columns.has(column));
  if (missing.length > 0) throw new PackError('not-mbtiles', `not an MBTiles file: \`tiles\` lacks ${missing.join(', ')}`);

  const warnings: PackProblem[] = [];
  const metadata = new Map<string, string>();
  if (objects.some((object) => object.name === 'metadata')) {
    for (const row of db.prepare('SELECT name, value FROM metadata').all() as { name: unknown; value: unknown }[]) {
      if (typeof row.name === 'string' && row.value !== null && row.value !== undefined) metadata.set(row.name, String(row.value));
    }
  }

  const sample = db.prepare('SELECT tile_data FROM tiles WHERE tile_data IS NOT NULL LIMIT 1').pluck().get() as Buffer | null | undefined;
  if (!sample) throw new PackError('no-tiles', 'the pack holds no tiles');
  const sniffed = Buffer.isBuffer(sample) ? sniffTileFormat(sample) : undefined;
  const declared = metadata.get('format');
  const format = formatFromMetadata(declared) ?? sniffed;
  if (!format) {
    throw new PackError(
      'unknown-format',
      declared
        ? `unknown tile format ${JSON.stringify(declared)} (MBTiles allows png, jpg, webp, pbf)`
        : 'unknown tile format: no `format` row and the tiles are not PNG, JPEG or WebP',
    );
  }

  const zoomRow = (name: string) => {
    const n = Number(metadata.get(name));
    return metadata.has(name) && Number.isInteger(n) && n >= 0 && n <= 30 ? n : undefined;
  };
  let minZoom = zoomRow('minzoom');
  let maxZoom = zoomRow('maxzoom');
  if (minZoom === undefined || maxZoom === undefined) {
    const range = db.prepare('SELECT min(zoom_level) AS lo, max(zoom_level) AS hi FROM tiles').get() as { lo: number | null; hi: number | null };
    minZoom ??= range.lo ?? 0;
    maxZoom ??= range.hi ?? 0;
  }

  // A NULL blob is a hole in the pack: the tile is served as missing and the
  // operator is told. Looking for one costs a pass over the tile index (no
  // tile bytes are read), done once per file version; bench/maps.ts times it on 1 GB.
  const holes = db
    .prepare('SELECT count(*) AS n, min(zoom_level) AS z, min(tile_column) AS x, min(tile_row) AS row FROM tiles WHERE tile_data IS NULL')
    .get() as { n: number; z: number | null; x: number | null; row: number | null };
  if (holes.n > 0) {
    warnings.push({
      code: 'null-tile',
      message: `${holes.n} tile${holes.n === 1 ? ' has' : 's have'} no data (NULL tile_data, e.g. zoom ${holes.z}); shown as missing`,
    });
  }

  const info: PackInfo = {
    name: metadata.get('name')?.trim() || undefined,
    format,
    minZoom: Math.min(minZoom, maxZoom),
    maxZoom: Math.max(minZoom, maxZoom),
    bounds: parseBounds(metadata.get('bounds')),
    attribution: metadata.get('attribution')?.trim() || undefined,
    warnings,
  };

  const select = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').pluck();
  return {
    info,
    tile(z, x, y) {
      try {
        const data = select.get(z, x, (1 << z) - 1 - y) as unknown;
        return Promise.resolve(Buffer.isBuffer(data) && data.length > 0 ? data : undefined);
      } catch (error) {
        return Promise.reject(sqliteProblem(error));
      }
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
