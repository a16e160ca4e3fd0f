// What every map pack reader gives the registry: the pack's description and
// its tiles by XYZ address. Problems carry a code (the console words them in
// the operator's language) and an English message (logs, tests, tooltips).
import type { MapPackProblemCode } from '../../../shared/contract';
import type { TileFormat } from './tileFormat';

/** The contract's list (shared/contract/refusals.ts): the console words each code. */
export type PackProblemCode = MapPackProblemCode;

export interface PackProblem {
  code: PackProblemCode;
  message: string;
}

/** A file that cannot be used as a map pack, and why. */
export class PackError extends Error {
  override name = 'PackError';
  constructor(
    readonly code: PackProblemCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PackInfo {
  /** The pack's own name (metadata), when it has one. */
  name: string | undefined;
  format: TileFormat;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north], degrees; undefined when the pack does not say. */
  bounds: [number, number, number, number] | undefined;
  attribution: string | undefined;
  /** Usable, but something is off (a NULL tile, missing metadata…). */
  warnings: PackProblem[];
}

export interface TileReader {
  readonly info: PackInfo;
  /** Set when the tile bytes are stored compressed and go out with that content-encoding. */
  readonly encoding?: 'gzip';
  /** The tile at XYZ (the y Leaflet asks for), or undefined when the pack has none there. */
  tile(z: number, x: number, y: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** The numbers in an MBTiles `bounds` row or similar, when they are four sane degrees. */
export function parseBounds(text: string | undefined): [number, number, number, number] | undefined {
  if (!text) return undefined;
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return undefined;
  const [west, south, east, north] = parts as [number, number, number, number];
  if (west < -180 || east > 180 || south < -90 || north > 90 || south >= north) return undefined;
  return [west, south, east, north];
}
