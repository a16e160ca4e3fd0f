// The operating picture (sensors, units, tracks, with the alerts and incidents
// of incidents.ts and the sectors of sectors.ts) and the event log's status,
// as the core pushes them to consoles.
import { z } from 'zod';
import { SensorHealth, SensorKind, TrackClass, UnitStatus, UnitType } from '../domain';
import { TrackColumns } from './trackColumns';
import { Position } from './geo';
import { AlertView, IncidentView } from './incidents';
import { Sector } from './sectors';

export const SensorView = z.object({
  id: z.string(),
  kind: SensorKind,
  name: z.string(),
  /** [lon, lat] */
  position: Position,
  /** Radar and optronic range, camera depth of view, drone footprint radius, metres. */
  rangeMeters: z.number(),
  /** Cameras: direction and width of the field of view, degrees. */
  bearing: z.number().optional(),
  fieldOfView: z.number().optional(),
  health: SensorHealth,
  lastSeen: z.number().int().nullable(),
});
export type SensorView = z.infer<typeof SensorView>;

export const UnitView = z.object({
  id: z.string(),
  callsign: z.string(),
  type: UnitType,
  crew: z.number().int(),
  status: UnitStatus,
  assignment: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  heading: z.number().nullable(),
  speed: z.number().nullable(),
  fixTime: z.number().int().nullable(),
});
export type UnitView = z.infer<typeof UnitView>;

export const TrackView = z.object({
  id: z.string(),
  sensor: z.string(),
  cls: TrackClass,
  lat: z.number(),
  lon: z.number(),
  course: z.number().nullable(),
  speed: z.number().nullable(),
  sector: z.string().nullable(),
  time: z.number().int(),
  stale: z.number().int().nullable(),
});
export type TrackView = z.infer<typeof TrackView>;

/** A ship heard on AIS, with what it said about itself and the radar track fusion gave it (docs/ais.md, docs/fusion.md). */
export const VesselView = z.object({
  mmsi: z.number().int(),
  name: z.string().nullable(),
  callsign: z.string().nullable(),
  imo: z.number().int().nullable(),
  /** Ship and cargo type (ITU-R M.1371 table 53), 1–99. */
  shipType: z.number().int().nullable(),
  /** Metres, from the antenna offsets (bow + stern, port + starboard). */
  length: z.number().int().nullable(),
  beam: z.number().int().nullable(),
  destination: z.string().nullable(),
  /** As sent: `MM-DDTHH:MM` UTC. */
  eta: z.string().nullable(),
  draught: z.number().nullable(),
  /** Navigational status 0–15. */
  nav: z.number().int().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  course: z.number().nullable(),
  speed: z.number().nullable(),
  heading: z.number().int().nullable(),
  /** Receipt time of the last position. */
  time: z.number().int().nullable(),
  /** The radar track fused with this ship, and the association's confidence 0–1. */
  track: z.string().nullable(),
  confidence: z.number().nullable(),
});
export type VesselView = z.infer<typeof VesselView>;

/** Names of event kinds and sources: short, printable, no separators. */
const LogName = z.string().regex(/^[a-z0-9][a-z0-9._:/-]{0,127}$/i);

export const LoggedEvent = z.object({
  seq: z.number().int().positive(),
  time: z.number().int(),
  kind: LogName,
  source: LogName,
  operator: z.string().nullable(),
  payload: z.unknown(),
});
export type LoggedEvent = z.infer<typeof LoggedEvent>;

export const LogStatus = z.object({
  events: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
  /** Hex SHA-256 of the newest block: quote it to anchor the log externally. */
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type LogStatus = z.infer<typeof LogStatus>;

/** The whole picture at one moment: live (picture.get) or replayed (replay.at). */
export const PictureView = z.object({
  sectors: z.array(Sector),
  sensors: z.array(SensorView),
  units: z.array(UnitView),
  tracks: z.array(TrackView),
  /** Open alerts (not closed), newest first. */
  alerts: z.array(AlertView),
  /** Open incidents. */
  incidents: z.array(IncidentView),
  /** Ships heard on AIS in the last 20 minutes (absent from pictures of cores without AIS). */
  vessels: z.array(VesselView).optional(),
});
export type PictureView = z.infer<typeof PictureView>;

export const pictureRequests = {
  'picture.get': {
    params: z.object({}).strict(),
    result: PictureView.extend({ log: LogStatus }),
  },
  'log.tail': {
    params: z.object({ limit: z.number().int().min(1).max(500) }).strict(),
    result: z.object({ events: z.array(LoggedEvent) }),
  },
} as const;

export const pictureEvents = {
  /** New events were committed to the log (the blocks of the last ~100 ms, together). */
  'log.appended': z.object({
    fromSeq: z.number().int().positive(),
    toSeq: z.number().int().positive(),
    kinds: z.array(LogName),
    status: LogStatus,
  }),
  /** What changed in the picture since the last delta (coalesced, at most ~10 per second). */
  'picture.delta': z.object({
    incidents: z.array(IncidentView),
    units: z.array(UnitView),
    /** Column by column (trackColumns.ts): at 10,000 tracks a second this is most of a console's traffic. */
    tracks: TrackColumns,
    tracksRemoved: z.array(z.string()),
    alerts: z.array(AlertView),
    sensors: z.array(SensorView),
    vessels: z.array(VesselView).optional(),
    /** MMSIs no longer in the picture. */
    vesselsRemoved: z.array(z.number().int()).optional(),
  }),
} as const;
