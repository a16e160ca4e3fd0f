// The map packs a core knows: every *.mbtiles and *.pmtiles file in its maps
// folder, plus files an operator opened by path elsewhere (remembered, never
// copied). Each is opened read-only once per file version; a bad file is
// listed with its problem and everything else carries on.
//
// Rescans happen on each maps.list request rather than through fs.watch:
// the listing is a readdir plus a stat per file (files are reopened only when
// their size or mtime changed), fs.watch is unreliable on the network shares
// and removable drives posts keep maps on, and the console asks for the list
// when it starts and every few seconds while it runs.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MapPackList, MapPackView } from '../../../shared/contract';
import type { Logger } from '../logger';
import { openMbtiles } from './mbtiles';
import { PackError, type PackProblem, type TileReader } from './pack';
import { openPmtiles } from './pmtiles';
import { RASTER_FORMATS, TILE_CONTENT_TYPES, sniffTileFormat } from './tileFormat';

export type PackKind = 'mbtiles' | 'pmtiles';

export interface Tile {
  bytes: Buffer;
  contentType: string;
  encoding: 'gzip' | undefined;
}

interface Entry {
  id: string;
  path: string;
  source: 'folder' | 'opened';
  kind: PackKind;
  size: number;
  mtimeMs: number;
  reader: TileReader | undefined;
  problem: PackProblem | null;
  /** Problems met while serving (a damaged page deep in the file). */
  servingWarnings: PackProblem[];
}

interface SavedState {
  opened: string[];
  chosen: string | null;
}

const PACK_EXTENSIONS: Record<string, PackKind> = { '.mbtiles': 'mbtiles', '.pmtiles': 'pmtiles' };

/** A stable id for a file: the same file keeps its id across restarts (the remembered choice uses it). */
export function packId(file: string): string {
  return createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16);
}

const problemOf = (error: unknown): PackProblem =>
  error instanceof PackError
    ? { code: error.code, message: error.message }
    : { code: 'unreadable', message: `unreadable: ${error instanceof Error ? error.message : String(error)}` };

/** What a file is, from its first bytes (then its name). */
async function kindOf(file: string): Promise<PackKind | undefined> {
  const head = Buffer.alloc(16);
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1', 0, 15) === 'SQLite format 3') return 'mbtiles';
  if (head.toString('latin1', 0, 7) === 'PMTiles') return 'pmtiles';
  return PACK_EXTENSIONS[path.extname(file).toLowerCase()];
}

export class MapRegistry {
  /** Random per launch: a tile address is only known to consoles that called maps.list with the secret. */
  readonly tilePath = `/maps/${randomBytes(16).toString('hex')}`;
  private readonly entries = new Map<string, Entry>();
  private readonly byId = new Map<string, Entry>();
  private state: SavedState;
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly stateFile: string,
    private readonly logger: Logger,
  ) {
    this.state = this.readState();
  }

  /** Rescans the folder and the opened files, then describes every pack. */
  async list(): Promise<MapPackList> {
    const folderProblem = await this.rescan();
    const packs = [...this.entries.values()].map((entry) => this.view(entry)).sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
    const chosenEntry = this.state.chosen ? this.byId.get(this.state.chosen) : undefined;
    const chosen = chosenEntry?.reader && !chosenEntry.problem ? chosenEntry.id : null;
    return { folder: this.folder, folderProblem, tilePath: this.tilePath, chosen, packs };
  }

  /** Registers a file outside the folder (nothing is copied); refused with the file's problem when it is not a usable pack. */
  async open(file: string): Promise<MapPackView> {
    const full = path.resolve(file);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(full);
    } catch {
      throw new PackError('missing', `no file at ${full}`);
    }
    if (!stat.isFile()) throw new PackError('missing', `${full} is not a file`);
    const kind = await kindOf(full);
    if (!kind) throw new PackError('unknown-format', `${path.basename(full)} is neither an MBTiles nor a PMTiles file`);
    await this.rescan();
    const existing = this.entries.get(full);
    const entry = existing ?? (await this.load(full, 'opened', kind, stat));
    if (!entry.reader) {
      if (!existing) await this.drop(entry);
      throw new PackError(entry.problem?.code ?? 'unreadable', entry.problem?.message ?? 'unreadable');
    }
    if (!existing) {
      this.add(entry);
      this.state.opened = [...new Set([...this.state.opened, full])];
      this.saveState();
    }
    return this.view(entry);
  }

  /** Forgets a pack opened by path (files in the folder stay listed while they are there). */
  async forget(id: string): Promise<boolean> {
    const entry = this.byId.get(id);
    if (!entry || entry.source !== 'opened') return false;
    this.state.opened = this.state.opened.filter((file) => file !== entry.path);
    if (this.state.chosen === id) this.state.chosen = null;
    this.saveState();
    await this.drop(entry);
    return true;
  }

  /** Remembers the base map the consoles show: a usable pack, or null for the bundled coast. */
  choose(id: string | null): string | null {
    if (id !== null) {
      const entry = this.byId.get(id);
      if (!entry) throw new PackError('missing', `no map pack ${id}`);
      if (!entry.reader || !RASTER_FORMATS.has(entry.reader.info.format))
        throw new PackError(
          entry.problem?.code ?? 'vector',
          `${path.basename(entry.path)} cannot be drawn: ${entry.problem?.message ?? 'vector tiles are not drawn'}`,
        );
    }
    this.state.chosen = id;
    this.saveState();
    return id;
  }

  /** One tile, or undefined (no such pack, no tile there). */
  async tile(id: string, z: number, x: number, y: number): Promise<Tile | undefined> {
    const entry = this.byId.get(id);
    const reader = entry?.reader;
    if (!entry || !reader) return undefined;
    let bytes: Buffer | undefined;
    try {
      bytes = await reader.tile(z, x, y);
    } catch (error) {
      const problem = problemOf(error);
      if (entry.servingWarnings.length < 5 && !entry.servingWarnings.some((w) => w.message === problem.message)) {
        entry.servingWarnings.push(problem);
        this.logger.warn(`map pack ${entry.path}: tile ${z}/${x}/${y}: ${problem.message}`);
      }
      return undefined;
    }
    if (!bytes) return undefined;
    const format = reader.encoding ? reader.info.format : (sniffTileFormat(bytes) ?? reader.info.format);
    return { bytes, contentType: TILE_CONTENT_TYPES[format], encoding: reader.encoding };
  }

  async close(): Promise<void> {
    await this.scanning.catch(() => undefined);
    for (const entry of [...this.entries.values()]) await this.drop(entry);
  }

  private rescan(): Promise<string | null> {
    const run = this.scanning.then(() => this.scanNow());
    this.scanning = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async scanNow(): Promise<string | null> {
    const wanted = new Map<string, { source: 'folder' | 'opened'; kind: PackKind }>();
    let folderProblem: string | null = null;
    try {
      for (const dirent of await fs.promises.readdir(this.folder, { withFileTypes: true })) {
        const kind = PACK_EXTENSIONS[path.extname(dirent.name).toLowerCase()];
        if (kind && (dirent.isFile() || dirent.isSymbolicLink())) wanted.set(path.join(this.folder, dirent.name), { source: 'folder', kind });
      }
    } catch (error) {
      folderProblem = `the maps folder ${this.folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    for (const file of this.state.opened) {
      if (!wanted.has(file))
        wanted.set(file, {
          source: 'opened',
          kind: PACK_EXTENSIONS[path.extname(file).toLowerCase()] ?? (await kindOf(file).catch(() => undefined)) ?? 'mbtiles',
        });
    }

    for (const [file, entry] of this.entries) if (!wanted.has(file)) await this.drop(entry);
    for (const [file, { source, kind }] of wanted) {
      let stat: fs.Stats | undefined;
      try {
        stat = await fs.promises.stat(file);
      } catch {
        stat = undefined;
      }
      const current = this.entries.get(file);
      if (current && stat && current.size === stat.size && current.mtimeMs === stat.mtimeMs && current.source === source) continue;
      if (current && !stat && current.problem?.code === 'missing') continue;
      if (current) await this.drop(current);
      this.add(stat ? await this.load(file, source, kind, stat) : this.missing(file, source, kind));
    }
    return folderProblem;
  }

  private async load(file: string, source: 'folder' | 'opened', kind: PackKind, stat: fs.Stats): Promise<Entry> {
    const entry: Entry = {
      id: packId(file),
      path: file,
      source,
      kind,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      reader: undefined,
      problem: null,
      servingWarnings: [],
    };
    try {
      entry.reader = kind === 'mbtiles' ? await openMbtiles(file) : await openPmtiles(file);
      if (!RASTER_FORMATS.has(entry.reader.info.format))
        entry.problem = { code: 'vector', message: 'vector tiles (MVT): listed, but only raster packs (PNG, JPEG, WebP, AVIF) are drawn' };
    } catch (error) {
      entry.problem = problemOf(error);
      this.logger.warn(`map pack ${file}: ${entry.problem.message}`);
    }
    return entry;
  }

  private missing(file: string, source: 'folder' | 'opened', kind: PackKind): Entry {
    return {
      id: packId(file),
      path: file,
      source,
      kind,
      size: 0,
      mtimeMs: 0,
      reader: undefined,
      problem: { code: 'missing', message: `the file is no longer at ${file}` },
      servingWarnings: [],
    };
  }

  private add(entry: Entry): void {
    this.entries.set(entry.path, entry);
    this.byId.set(entry.id, entry);
  }

  private async drop(entry: Entry): Promise<void> {
    if (this.entries.get(entry.path) === entry) this.entries.delete(entry.path);
    if (this.byId.get(entry.id) === entry) this.byId.delete(entry.id);
    await entry.reader?.close().catch(() => undefined);
    entry.reader = undefined;
  }

  private view(entry: Entry): MapPackView {
    const info = entry.reader?.info;
    const status = !info ? 'error' : entry.problem ? 'unsupported' : 'ok';
    return {
      id: entry.id,
      name: info?.name ?? path.basename(entry.path),
      file: path.basename(entry.path),
      path: entry.path,
      source: entry.source,
      kind: entry.kind,
      status,
      problem: entry.problem,
      warnings: [...(info?.warnings ?? []), ...entry.servingWarnings],
      format: info?.format ?? null,
      minZoom: info?.minZoom ?? null,
      maxZoom: info?.maxZoom ?? null,
      bounds: info?.bounds ?? null,
      attribution: info?.attribution ?? null,
      bytes: entry.size,
    };
  }

  private readState(): SavedState {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as Partial<SavedState>;
      return {
        opened: Array.isArray(parsed.opened) ? parsed.opened.filter((file): file is string => typeof file === 'string' && path.isAbsolute(file)) : [],
        chosen: typeof parsed.chosen === 'string' ? parsed.chosen : null,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.logger.warn(
          `${this.stateFile} is unreadable (${error instanceof Error ? error.message : String(error)}); starting with the coast map and no opened packs`,
        );
      return { opened: [], chosen: null };
    }
  }

  /** Written to a temporary file and renamed over, so a crash never leaves half a file. */
  private saveState(): void {
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify({ opened: this.state.opened, chosen: this.state.chosen }, null, 2)}\n`);
    fs.renameSync(temporary, this.stateFile);
  }
}

/** The registry of a core: `mapsDir`, or maps/ in the data directory (created, so operators find it). */
export function openMapRegistry(dataDir: string, mapsDir: string | undefined, logger: Logger): MapRegistry {
  const folder = path.resolve(mapsDir ?? path.join(dataDir, 'maps'));
  if (!mapsDir) fs.mkdirSync(folder, { recursive: true });
  return new MapRegistry(folder, path.join(dataDir, 'maps.json'), logger);
}
