// The normalised feed messages every adapter (CoT, NMEA, Vigie JSON lines)
// produces after validation. Everything downstream — sector assignment, the
// log, projections — sees only these, whatever the wire protocol was.
import { z } from 'zod';

import { DetectionKind, TrackClass, UnitStatus } from '../../../shared/domain';
import type { FeedProtocol } from '../../../shared/domain';
import { isPlainTrackFix } from '../../../shared/feeds/jsonLines';

// The shared vocabulary, re-exported for the adapters' convenience.
export { DetectionKind, SensorKind, TrackClass, UnitStatus, UnitType } from '../../../shared/domain';

/** Longest callsign, team, role or device name a field device may send. */
export const MAX_LABEL = 64;
/** Longest chat message, characters (GeoChat on ATAK is a few lines). */
export const MAX_CHAT_CHARACTERS = 4096;
export const MAX_REMARKS = 1024;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const TRACK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,128}$/;
const Lat = z.number().min(-90).max(90);
const Lon = z.number().min(-180).max(180);
const Id = z.string().regex(ID_PATTERN, 'ids are 1–64 letters, digits, . _ : -');
/** Track ids may carry their sensor's id in front (`RAD-GRISNEZ:T42`). */
const TrackId = z.string().regex(TRACK_ID_PATTERN, 'track ids are 1–129 letters, digits, . _ : -');

/** A CoT uid as sent (ids derived from it are `Id`s, see cotId). */
const DeviceUid = z.string().min(1).max(256);
const CotType = z
  .string()
  .regex(/^[A-Za-z](?:-[A-Za-z0-9_.]+)*$/)
  .max(64);
/** Callsigns, teams, roles, device names: short labels. */
const Label = z.string().max(MAX_LABEL);
const Extra = z.string().max(64 * 1024);
/** b-a-o-tbl 911, b-a-o-pan ring the bell, b-a-o-opn troops in contact, b-a-g geofence breach; b-a-o-can cancels. */
export const EmergencyKind = z.enum(['911', 'ring-the-bell', 'troops-in-contact', 'geofence-breach', 'cancel']);
export type EmergencyKind = z.infer<typeof EmergencyKind>;
/** Maritime Mobile Service Identity: 9 digits; 0 is no station. */
const Mmsi = z.number().int().min(1).max(999_999_999);
/** The AIS message type the message came from. */
const AisType = z.number().int().min(1).max(27);
const Meters = z.number().int().min(1).max(511);

export const FeedMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heartbeat'), sensor: Id, time: z.number().int() }),
  z.object({
    type: z.literal('track'),
    sensor: Id,
    track: TrackId,
    lat: Lat,
    lon: Lon,
    /** Degrees true, 0–360. */
    course: z.number().min(0).max(360).optional(),
    /** Knots. */
    speed: z.number().min(0).max(100).optional(),
    cls: TrackClass,
    /** Lost tracks are logged once and then dropped from the picture. */
    lost: z.boolean().optional(),
    time: z.number().int(),
    /** Until when the report is valid (ms); the picture greys it out after. */
    stale: z.number().int().optional(),
  }),
  z.object({
    type: z.literal('detection'),
    sensor: Id,
    detection: Id,
    kind: DetectionKind,
    lat: Lat,
    lon: Lon,
    /** 0–1. */
    confidence: z.number().min(0).max(1),
    /** People or boats seen, when the sensor counts them. */
    count: z.number().int().min(0).max(10_000).optional(),
    time: z.number().int(),
  }),
  z.object({
    type: z.literal('optronic'),
    sensor: Id,
    report: Id,
    kind: DetectionKind,
    observerLat: Lat,
    observerLon: Lon,
    /** Degrees true from the observer. */
    bearing: z.number().min(0).max(360),
    /** Laser range, metres. */
    range: z.number().min(1).max(30_000),
    confidence: z.number().min(0).max(1),
    time: z.number().int(),
  }),
  z.object({
    type: z.literal('unit-position'),
    unit: Id,
    lat: Lat,
    lon: Lon,
    heading: z.number().min(0).max(360).optional(),
    /** Knots. */
    speed: z.number().min(0).max(100).optional(),
    time: z.number().int(),
  }),
  // Field devices (ATAK, WinTAK, iTAK): see docs/tak.md.
  z.object({
    type: z.literal('device-report'),
    /** The device's uid as a Vigie id (cotId). */
    device: Id,
    uid: DeviceUid,
    cotType: CotType,
    lat: Lat,
    lon: Lon,
    course: z.number().min(0).max(360).optional(),
    /** Knots. */
    speed: z.number().min(0).max(100).optional(),
    callsign: Label.optional(),
    /** `__group`: team colour and role. */
    team: Label.optional(),
    role: Label.optional(),
    /** `status battery`, percent. */
    battery: z.number().int().min(0).max(100).optional(),
    /** `takv`: app, device model, OS, app version. */
    platform: Label.optional(),
    model: Label.optional(),
    os: Label.optional(),
    version: Label.optional(),
    time: z.number().int(),
    stale: z.number().int(),
    /** Detail elements Vigie does not read, as XML, kept for the log. */
    extra: Extra.optional(),
  }),
  z.object({
    type: z.literal('field-point'),
    point: Id,
    uid: DeviceUid,
    cotType: CotType,
    /** `atom`: a point of any affiliation placed by a user (a-h-G…); `marker`: a spot marker (b-m-p-s-…). */
    category: z.enum(['atom', 'marker']),
    lat: Lat,
    lon: Lon,
    callsign: Label.optional(),
    remarks: z.string().max(MAX_REMARKS).optional(),
    /** `color argb`, a signed 32-bit ARGB integer as ATAK writes it. */
    colour: z.number().int().min(-2147483648).max(4294967295).optional(),
    /** The device that placed it (p-p link), as an id, and its callsign. */
    device: Id.optional(),
    placedBy: Label.optional(),
    time: z.number().int(),
    stale: z.number().int(),
    extra: Extra.optional(),
  }),
  z.object({ type: z.literal('field-delete'), point: Id, uid: DeviceUid, device: Id.optional(), time: z.number().int() }),
  z.object({
    type: z.literal('chat'),
    /** The message id (messageId, else the event uid). */
    message: Id,
    /** The sender's device. */
    device: Id,
    uid: DeviceUid,
    callsign: Label,
    /** Room name (`All Chat Rooms`, a group, or a callsign for a direct message) and its id. */
    room: z.string().max(256),
    roomId: z.string().max(256),
    /** The addressee's uid when the message is direct. */
    to: z.string().max(256).optional(),
    text: z.string().max(MAX_CHAT_CHARACTERS),
    time: z.number().int(),
    extra: Extra.optional(),
  }),
  z.object({
    type: z.literal('chat-receipt'),
    /** The message acknowledged. */
    message: Id,
    /** The device acknowledging it. */
    device: Id,
    uid: DeviceUid,
    state: z.enum(['delivered', 'read']),
    time: z.number().int(),
  }),
  z.object({
    type: z.literal('emergency'),
    /** The device in distress (its p-p link, else the event uid without ATAK's -9-1-1). */
    device: Id,
    uid: DeviceUid,
    /** The emergency's own id (the event uid): a cancel names the same. */
    emergency: Id,
    kind: EmergencyKind,
    /** The unit the device is, when it is one (site file or registration). */
    unit: Id.optional(),
    callsign: Label.optional(),
    lat: Lat,
    lon: Lon,
    time: z.number().int(),
  }),
  z.object({
    type: z.literal('unit-ack'),
    unit: Id,
    /** The assignment this answers, when it answers one. */
    assignment: Id.optional(),
    status: UnitStatus,
    time: z.number().int(),
  }),
  /** AIS position (types 1, 2, 3, 18, 19, 27); without lat/lon when the transmitter says "not available" — never drawn then. */
  z.object({
    type: z.literal('ais-position'),
    sensor: Id,
    mmsi: Mmsi,
    msg: AisType,
    /** VDO: the receiver's own ship. */
    own: z.boolean().optional(),
    lat: Lat.optional(),
    lon: Lon.optional(),
    /** Course over ground, degrees true. */
    course: z.number().min(0).max(359.9).optional(),
    /** Speed over ground, knots (102.2 means 102.2 or more). */
    speed: z.number().min(0).max(102.2).optional(),
    heading: z.number().int().min(0).max(359).optional(),
    /** Navigational status 0–15 (ITU-R M.1371 table 45). */
    nav: z.number().int().min(0).max(15).optional(),
    time: z.number().int(),
  }),
  /** AIS static and voyage data (types 5, 19, 24): only what the ship actually sent. */
  z.object({
    type: z.literal('ais-static'),
    sensor: Id,
    mmsi: Mmsi,
    msg: AisType,
    name: z.string().max(20).optional(),
    callsign: z.string().max(7).optional(),
    imo: z.number().int().min(1).max(1_073_741_823).optional(),
    /** Ship and cargo type 1–99 (ITU-R M.1371 table 53). */
    shipType: z.number().int().min(1).max(255).optional(),
    toBow: Meters.optional(),
    toStern: Meters.optional(),
    toPort: z.number().int().min(1).max(63).optional(),
    toStarboard: z.number().int().min(1).max(63).optional(),
    destination: z.string().max(20).optional(),
    /** Estimated time of arrival as sent, `MM-DDTHH:MM` UTC, no year. */
    eta: z
      .string()
      .regex(/^\d\d-\d\dT\d\d:\d\d$/)
      .optional(),
    /** Metres. */
    draught: z.number().min(0.1).max(25.5).optional(),
    time: z.number().int(),
  }),
  /** AIS base stations (types 4, 11) and aids to navigation (type 21): logged, drawn only as fixed stations. */
  z.object({
    type: z.literal('ais-station'),
    sensor: Id,
    mmsi: Mmsi,
    msg: AisType,
    name: z.string().max(34).optional(),
    /** Aid-to-navigation type 1–31 (ITU-R M.1371 table 74). */
    aid: z.number().int().min(0).max(31).optional(),
    virtual: z.boolean().optional(),
    lat: Lat.optional(),
    lon: Lon.optional(),
    time: z.number().int(),
  }),
  /** Any other AIS message: logged (type and sender), not drawn. */
  z.object({ type: z.literal('ais-other'), sensor: Id, mmsi: Mmsi, msg: AisType, time: z.number().int() }),
]);
export type FeedMessage = z.infer<typeof FeedMessage>;

const TRACK_KEYS = new Set(['type', 'sensor', 'track', 'lat', 'lon', 'course', 'speed', 'cls', 'lost', 'time', 'stale']);

/**
 * The hot path's check of a `track` message (most of every radar feed), by
 * hand: true only for what the FeedMessage schema accepts unchanged — a plain
 * object with no member the schema lacks, every value fitting. Anything else
 * (another type, a value out of range, an extra member) answers false and
 * goes through the schema, which names what is wrong: the same messages are
 * accepted, and refused with the same words, either way.
 */
export function isPlainTrack(candidate: unknown): candidate is Extract<FeedMessage, { type: 'track' }> {
  if (candidate === null || typeof candidate !== 'object' || Object.getPrototypeOf(candidate) !== Object.prototype) return false;
  const m = candidate as Record<string, unknown>;
  if (m.type !== 'track') return false;
  for (const key in m) if (!TRACK_KEYS.has(key)) return false;
  const { sensor, track, lat, lon, course, speed, cls, lost, time, stale } = m;
  return (
    typeof sensor === 'string' &&
    ID_PATTERN.test(sensor) &&
    typeof track === 'string' &&
    TRACK_ID_PATTERN.test(track) &&
    isPlainTrackFix(lat, lon, course, speed, cls, lost) &&
    Number.isSafeInteger(time) &&
    (stale === undefined || Number.isSafeInteger(stale))
  );
}

/** Why an adapter refused a message: goes to the quarantine with the raw bytes. */
export type RejectReason =
  | 'bad-xml'
  /** A TAK Protocol v1 frame that is not a valid TakMessage (feeds/tak/takProtocol.ts). */
  | 'bad-protobuf'
  | 'bad-checksum'
  | 'bad-sentence'
  | 'bad-json'
  | 'bad-schema'
  | 'wrong-version'
  | 'out-of-range'
  | 'unknown-sensor'
  | 'unknown-unit'
  /** A field device a supervisor blocked (devices/deviceRegistry.ts). */
  | 'blocked-device'
  | 'unsupported'
  | 'oversized'
  | 'bad-secret'
  /** A signed message whose MAC does not match, or whose signature is malformed (see feeds/auth.ts). */
  | 'bad-signature'
  /** A signed message whose counter was already used, is before this core started, or is too far behind. */
  | 'replayed'
  | 'stale'
  /** Valid, but the log refused it (an internal fault); kept so nothing is lost silently. */
  | 'unloggable';

/** What a frame says about its own authentication (feeds/auth.ts checks it), before anyone knows which sensor sent it. */
export type FrameAuth =
  { ok: true; protocol: FeedProtocol; n: number; mac: string; /** The exact bytes the MAC covers. */ payload: Buffer | string } | { ok: false; detail: string };

export type Parsed =
  | { ok: true; messages: FeedMessage[]; /** The frame's signature, when it carries one (feeds/auth.ts). */ auth?: FrameAuth }
  | { ok: false; reason: RejectReason; detail: string };
