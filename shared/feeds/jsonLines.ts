// Vigie's own JSON-lines feed, version 1: one JSON object per line, over TCP
// (4100) or WebSocket (4101). The documented wire format is docs/feeds.md;
// this schema is its executable form. Devices send inbound messages; the core
// sends outbound ones (assignments, status) down the same connection.
import { z } from 'zod';
import { DetectionKind, TrackClass, UnitStatus } from '../domain';

export const JSON_FEED_VERSION = 1;
/** Longest accepted line, bytes; longer ones are quarantined as oversized. */
export const MAX_JSON_LINE_BYTES = 16 * 1024;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const Lat = z.number().min(-90).max(90);
const Lon = z.number().min(-180).max(180);
const Id = z.string().regex(ID_PATTERN, 'ids are 1–64 letters, digits, . _ : -');
/** ISO-8601 UTC; optional, defaults to when the core received the line. */
const Time = z.iso.datetime({ offset: true }).optional();
const Degrees = z.number().min(0).max(360);
const Knots = z.number().min(0).max(100);
const Confidence = z.number().min(0).max(1);

/** `n` and `mac`: the line's signature when its sensor has a secret (docs/feeds.md, "Authenticated sensors"). */
const base = {
  v: z.literal(JSON_FEED_VERSION),
  time: Time,
  n: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  mac: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
};

export const JsonInbound = z.discriminatedUnion('type', [
  /** Binds the connection to a sensor or unit; carries its shared secret when the site requires one. */
  z.strictObject({ ...base, type: z.literal('hello'), sensor: Id.optional(), unit: Id.optional(), secret: z.string().max(256).optional() }),
  z.strictObject({ ...base, type: z.literal('heartbeat'), sensor: Id }),
  z.strictObject({
    ...base,
    type: z.literal('track'),
    sensor: Id,
    track: Id,
    lat: Lat,
    lon: Lon,
    course: Degrees.optional(),
    speed: Knots.optional(),
    class: TrackClass.default('unknown'),
    lost: z.boolean().optional(),
    stale: Time,
  }),
  z.strictObject({
    ...base,
    type: z.literal('detection'),
    sensor: Id,
    detection: Id,
    kind: DetectionKind,
    lat: Lat,
    lon: Lon,
    confidence: Confidence,
    count: z.number().int().min(0).max(10_000).optional(),
  }),
  z.strictObject({ ...base, type: z.literal('unit-position'), unit: Id, lat: Lat, lon: Lon, heading: Degrees.optional(), speed: Knots.optional() }),
  z.strictObject({ ...base, type: z.literal('unit-ack'), unit: Id, assignment: Id.optional(), status: UnitStatus }),
  z.strictObject({
    ...base,
    type: z.literal('optronic'),
    sensor: Id,
    report: Id,
    kind: DetectionKind,
    observer: z.strictObject({ lat: Lat, lon: Lon }),
    bearing: Degrees,
    range: z.number().min(1).max(30_000),
    confidence: Confidence,
  }),
]);
export type JsonInbound = z.infer<typeof JsonInbound>;

/** The members a plain track line may have for plainTrackLine (no time, stale or signature: those take the schema). */
const PLAIN_TRACK_KEYS = new Set(['v', 'type', 'sensor', 'track', 'lat', 'lon', 'course', 'speed', 'class', 'lost']);

/**
 * The fix, motion, class and lost flag of a track as both track schemas bound
 * them (the JSON line's and the core's feed message): the hot path's
 * hand-written checks share it (plainTrackLine here, isPlainTrack in
 * electron/core/feeds/feedMessage.ts).
 */
export function isPlainTrackFix(lat: unknown, lon: unknown, course: unknown, speed: unknown, cls: unknown, lost: unknown): lat is number {
  return (
    typeof lat === 'number' &&
    lat >= -90 &&
    lat <= 90 &&
    typeof lon === 'number' &&
    lon >= -180 &&
    lon <= 180 &&
    (course === undefined || (typeof course === 'number' && course >= 0 && course <= 360)) &&
    (speed === undefined || (typeof speed === 'number' && speed >= 0 && speed <= 100)) &&
    (cls === 'vessel' || cls === 'small-boat' || cls === 'unknown') &&
    (lost === undefined || typeof lost === 'boolean')
  );
}

/**
 * The hot path's check of a JSON `track` line (a radar's every update), by
 * hand: what JsonInbound returns for a line that plainly fits — version 1, no
 * member the schema lacks, no time, stale or signature, every value in range
 * — or undefined, and the line goes through the schema, which decides and
 * words any refusal. So the same lines are accepted and refused either way.
 */
export function plainTrackLine(value: Record<string, unknown>): Extract<JsonInbound, { type: 'track' }> | undefined {
  if (value.type !== 'track' || value.v !== JSON_FEED_VERSION) return undefined;
  for (const key in value) if (!PLAIN_TRACK_KEYS.has(key)) return undefined;
  const { sensor, track, lat, lon, course, speed, lost } = value;
  const cls = value.class === undefined ? 'unknown' : value.class;
  if (
    typeof sensor === 'string' &&
    ID_PATTERN.test(sensor) &&
    typeof track === 'string' &&
    ID_PATTERN.test(track) &&
    isPlainTrackFix(lat, lon, course, speed, cls, lost)
  )
    // Their types are what isPlainTrackFix checked (a guard narrows one argument only).
    return {
      v: JSON_FEED_VERSION,
      type: 'track',
      sensor,
      track,
      lat,
      lon: lon as number,
      course: course as number | undefined,
      speed: speed as number | undefined,
      class: cls as TrackClass,
      lost: lost as boolean | undefined,
    };
  return undefined;
}

export const JsonOutbound = z.discriminatedUnion('type', [
  /** A unit is sent to an incident. */
  z.strictObject({
    v: z.literal(JSON_FEED_VERSION),
    type: z.literal('assignment'),
    assignment: Id,
    unit: Id,
    incident: Id,
    kind: DetectionKind.optional(),
    lat: Lat,
    lon: Lon,
    sector: Id.optional(),
    time: z.string(),
  }),
  /** A status set from the console (e.g. cleared, or an assignment cancelled). */
  z.strictObject({ v: z.literal(JSON_FEED_VERSION), type: z.literal('status'), unit: Id, assignment: Id.optional(), status: UnitStatus, time: z.string() }),
  /** The core's answer to a line it refused, so a device integrator sees why. */
  z.strictObject({ v: z.literal(JSON_FEED_VERSION), type: z.literal('rejected'), reason: z.string(), detail: z.string() }),
]);
export type JsonOutbound = z.infer<typeof JsonOutbound>;
