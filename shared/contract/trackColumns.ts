// The tracks of a picture delta, column by column (issue 17, compact deltas):
// at 10,000 tracks moving at 1 Hz every console receives every track every
// second, and as one JSON object per track most of those bytes are the same
// ten keys, the same sensor and sector names and thirteen-digit times again
// and again. Here each field is one array, names are sent once per delta
// (`names`, indexed by `sensor` and `sector`), the class is an index into
// TrackClass, times are milliseconds after the delta's earliest (`t0`), and
// positions are rounded to 1e-6° (about 10 cm), course and speed to 0.1. The
// console unpacks it back into TrackViews (unpackTracks); bench/console.ts
// reports the bytes per second per console.
import { z } from 'zod';
import { TrackClass } from '../domain';

/** A TrackView (picture.ts), restated so that the two files do not import each other. */
interface TrackView {
  id: string;
  sensor: string;
  cls: TrackClass;
  lat: number;
  lon: number;
  course: number | null;
  speed: number | null;
  sector: string | null;
  time: number;
  stale: number | null;
}

export const TrackColumns = z.object({
  t0: z.number().int(),
  names: z.array(z.string()),
  id: z.array(z.string()),
  sensor: z.array(z.number().int().nonnegative()),
  cls: z.array(z.number().int().nonnegative()),
  lat: z.array(z.number()),
  lon: z.array(z.number()),
  course: z.array(z.number().nullable()),
  speed: z.array(z.number().nullable()),
  sector: z.array(z.number().int().nonnegative().nullable()),
  time: z.array(z.number().int()),
  stale: z.array(z.number().int().nullable()),
});
export type TrackColumns = z.infer<typeof TrackColumns>;

const CLASSES = TrackClass.options;
const round = (value: number, scale: number) => Math.round(value * scale) / scale;
const tenth = (value: number | null) => (value === null ? null : round(value, 10));

export function packTracks(tracks: readonly TrackView[]): TrackColumns {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const name = (text: string) => {
    let index = nameIndex.get(text);
    if (index === undefined) nameIndex.set(text, (index = names.push(text) - 1));
    return index;
  };
  let t0 = Infinity;
  for (const track of tracks) if (track.time < t0) t0 = track.time;
  if (t0 === Infinity) t0 = 0;
  const columns: TrackColumns = { t0, names, id: [], sensor: [], cls: [], lat: [], lon: [], course: [], speed: [], sector: [], time: [], stale: [] };
  for (const track of tracks) {
    columns.id.push(track.id);
    columns.sensor.push(name(track.sensor));
    columns.cls.push(CLASSES.indexOf(track.cls));
    columns.lat.push(round(track.lat, 1e6));
    columns.lon.push(round(track.lon, 1e6));
    columns.course.push(tenth(track.course));
    columns.speed.push(tenth(track.speed));
    columns.sector.push(track.sector === null ? null : name(track.sector));
    columns.time.push(track.time - t0);
    columns.stale.push(track.stale === null ? null : track.stale - t0);
  }
  return columns;
}

export class TrackColumnsError extends Error {
  override name = 'TrackColumnsError';
}

/** The TrackViews again; columns of different lengths or an index out of range are refused whole. */
export function unpackTracks(columns: TrackColumns): TrackView[] {
  const count = columns.id.length;
  const lengths = [columns.sensor, columns.cls, columns.lat, columns.lon, columns.course, columns.speed, columns.sector, columns.time, columns.stale].map(
    (column) => column.length,
  );
  if (lengths.some((length) => length !== count)) throw new TrackColumnsError(`track columns of different lengths (${count}, ${lengths.join(', ')})`);
  const nameAt = (index: number) => {
    const text = columns.names[index];
    if (text === undefined) throw new TrackColumnsError(`name ${index} is not in the delta's ${columns.names.length} names`);
    return text;
  };
  const tracks: TrackView[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const cls = CLASSES[columns.cls[i]!];
    if (cls === undefined) throw new TrackColumnsError(`track class ${columns.cls[i]} is unknown`);
    const sector = columns.sector[i]!;
    const stale = columns.stale[i]!;
    tracks[i] = {
      id: columns.id[i]!,
      sensor: nameAt(columns.sensor[i]!),
      cls,
      lat: columns.lat[i]!,
      lon: columns.lon[i]!,
      course: columns.course[i]!,
      speed: columns.speed[i]!,
      sector: sector === null ? null : nameAt(sector),
      time: columns.t0 + columns.time[i]!,
      stale: stale === null ? null : columns.t0 + stale,
    };
  }
  return tracks;
}
