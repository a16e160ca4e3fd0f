// Every kind of event the log holds, with its payload schema: the one place
// where an event's shape is written down. The log writer's `append` is typed
// from it (a kind not listed here, or a payload that does not fit its kind,
// does not compile), and whatever reads payloads back — projections, shifts,
// figures, replay, evidence — takes its types from here. docs/events.md
// describes the same kinds in prose (test/core/eventCatalogue.test.ts keeps
// the two in step).
//
// The schemas are not run on the feed path: compile-time types are enough
// there, and a million messages a minute cannot pay for a parse each. They
// are what tests check recorded logs against (checkPayload), and what any
// reader that can afford it may use.
//
// Keys are short because position events dominate the log (budget: ~80 bytes
// on disk each). `at` is the sender's own time, present when it differs from
// the receipt time by a second or more. Schemas are strict: a key that is not
// listed is an error, so the catalogue cannot silently fall behind the code.
import { z } from 'zod';
import { Position, Sector, describeIssues } from '../../../shared/contract';
import { AlertKind, DetectionKind, Outcome, Role, SensorKind, Severity, TrackClass, UnitStatus, UnitType } from '../../../shared/domain';
import type { StoredEvent } from './hashChain';

/** The sender's time (ms), when it differs from the receipt time by a second or more. */
const at = z.number().int().optional();
/** Present means 1 (packed: no bytes at all). */
const flag = z.literal(1).optional();
const sector = z.string().optional();

export const EVENT_CATALOGUE = {
  // --- The core itself ---------------------------------------------------
  /** The core started on this data directory. */
  'core.started': z.strictObject({ version: z.string(), pid: z.number().int(), site: z.string() }),
  /** The core stopped cleanly (`reason`: SIGTERM, SIGINT, desktop quit…). */
  'core.stopped': z.strictObject({ reason: z.string(), uptimeMs: z.number().int() }),
  /**
   * The post's signing key from now on (keys/postKey.ts): `pub` its Ed25519
   * public key (base64 SPKI), `post` the site's name. After a rotation, `prev`
   * is the retired key and `endorsement` its signature over the new one
   * (absent when the old key was lost).
   */
  'post.key': z.strictObject({ post: z.string(), pub: z.string(), prev: z.string().optional(), endorsement: z.string().optional() }),
  /**
   * The post signed its chain head (keys/signedHeads.ts): block `block`, ending
   * at event `seq`, has hash `hash`; `sig` is the Ed25519 signature by `pub`
   * over those and `post`; `why`: periodic, shift-close or stop.
   */
  'head.signed': z.strictObject({
    post: z.string(),
    block: z.number().int(),
    seq: z.number().int(),
    hash: z.string(),
    pub: z.string(),
    sig: z.string(),
    why: z.enum(['periodic', 'shift-close', 'stop']),
  }),
  /** A scheduled backup (site file `backups`) copied the database to `to`: up to event `seq`, whose block hash is `head`. */
  'backup.completed': z.strictObject({ to: z.string(), seq: z.number().int(), head: z.string().nullable(), bytes: z.number().int(), ms: z.number().int() }),
  /** A scheduled backup failed; the previous copy in `to` is untouched. */
  'backup.failed': z.strictObject({ to: z.string(), error: z.string() }),
  /**
   * The retention policy (site file `retention`) moved events up to `seq`
   * (block hash `head`) into the archive `file` (its name in the policy's
   * folder, `bytes` long); the live files gave `freed` bytes back.
   */
  'archive.completed': z.strictObject({
    file: z.string(),
    events: z.number().int(),
    seq: z.number().int(),
    head: z.string(),
    bytes: z.number().int(),
    freed: z.number().int(),
  }),
  /** The retention policy could not archive; nothing was removed from the live log. */
  'archive.failed': z.strictObject({ error: z.string() }),
  /**
   * Refusals at the API's door (server/guard.ts): the first of a reason at
   * once, the rest counted (`n`) and logged once per period, with a sample
   * of the first (each string cut to 120 characters).
   */
  'security.refused': z.strictObject({
    reason: z.enum([
      /** A Host that is not this core's loopback address (DNS rebinding). */
      'host',
      /** An Origin of another site (a web page in another tab). */
      'origin',
      /** No secret, or the wrong one (HTTP bearer or WebSocket subprotocol). */
      'secret',
      /** An HTTP body over the cap. */
      'body-size',
      /** A WebSocket message over the cap. */
      'frame-size',
      /** A client that did not finish its request headers in time (slowloris), or an idle connection that never sent one. */
      'slow-client',
      /** A connection closed to make room: the core holds a bounded number of sockets. */
      'connection-limit',
      /** Bytes that are not HTTP, or headers over the size limit. */
      'bad-request',
      /** Room address (issue 15): a seat token that is unknown, not yet admitted, or revoked. */
      'seat',
      /** Room address: a session token used from another seat or address than the one it signed in at. */
      'session-elsewhere',
      /** Room address: too many seat requests or sign-in failures from one address. */
      'rate-limit',
    ]),
    /** Refusals of this reason since the last event of this reason. */
    n: z.number().int().positive(),
    remote: z.string().max(120).optional(),
    host: z.string().max(120).optional(),
    origin: z.string().max(120).optional(),
    path: z.string().max(120).optional(),
    detail: z.string().max(120).optional(),
  }),

  // --- The site and its sectors -------------------------------------------
  /** A beach sector, whole: seeded from assets/sectors.geojson (picture/sectors.ts), or changed in the sector editor. A later one replaces an earlier one with the same id. */
  'sector.defined': z.strictObject(Sector.shape),
  /** A sensor of the site file, logged when it first appears or changes. */
  'site.sensor': z.strictObject({
    id: z.string(),
    kind: SensorKind,
    name: z.string(),
    position: Position,
    rangeMeters: z.number(),
    bearing: z.number().optional(),
    fieldOfView: z.number().optional(),
    heartbeatSeconds: z.number(),
  }),
  /** A patrol unit of the site file, logged when it first appears or changes. */
  'site.unit': z.strictObject({ id: z.string(), callsign: z.string(), type: UnitType, crew: z.number().int(), home: Position }),

  // --- Feeds (electron/core/feeds/ingest.ts derives these) -----------------
  'sensor.heartbeat': z.strictObject({ s: z.string(), at }),
  /** s sensor, t track, crs course °, spd knots, cls class, sec sector, off offshore (nearest sector, not a containing one), stl stale time (ms), lost. */
  'track.update': z.strictObject({
    s: z.string(),
    t: z.string(),
    lat: z.number(),
    lon: z.number(),
    crs: z.number().optional(),
    spd: z.number().optional(),
    cls: TrackClass,
    sec: sector,
    off: flag,
    stl: z.number().int().optional(),
    lost: flag,
    at,
  }),
  /** Tracks not heard of for a while, dropped from the picture. */
  'track.expired': z.strictObject({ t: z.array(z.string()) }),
  /** s sensor, d detection id, conf 0–1, n count, sec sector. */
  detection: z.strictObject({
    s: z.string(),
    d: z.string(),
    kind: DetectionKind,
    lat: z.number(),
    lon: z.number(),
    conf: z.number(),
    n: z.number().int().optional(),
    sec: sector,
    at,
  }),
  /** Optronic target report: observer position (olat/olon), bearing (brg °), laser range (rng m), and the target position computed from them. */
  'optronic.report': z.strictObject({
    s: z.string(),
    r: z.string(),
    kind: DetectionKind,
    olat: z.number(),
    olon: z.number(),
    brg: z.number(),
    rng: z.number(),
    lat: z.number(),
    lon: z.number(),
    conf: z.number(),
    sec: sector,
    at,
  }),
  /** u unit, hdg heading °, spd knots, sec sector. */
  'unit.position': z.strictObject({ u: z.string(), lat: z.number(), lon: z.number(), hdg: z.number().optional(), spd: z.number().optional(), sec: sector, at }),
  /** A status reported by the unit's device, set by the console, or by the core (on scene when the unit's fix reaches the incident). */
  'unit.status': z.strictObject({ u: z.string(), status: UnitStatus, a: z.string().optional(), by: z.enum(['device', 'console', 'core']) }),
  /** An alert: id A00001…, what raised it (subj: det:…, track:…, opt:…, silent:…). */
  'alert.raised': z.strictObject({
    id: z.string(),
    kind: AlertKind,
    sev: Severity,
    s: z.string(),
    subj: z.string().optional(),
    lat: z.number().optional(),
    lon: z.number().optional(),
    sec: sector,
    conf: z.number().optional(),
    n: z.number().int().optional(),
    /** Why, for kinds that say (dark-contact): reason codes (docs/fusion.md). */
    why: z.array(z.string()).optional(),
  }),
  // --- Field devices: ATAK, WinTAK, iTAK (docs/tak.md) ----------------------
  /**
   * A self-report of a device no unit has (yet): d device id, uid as sent, ty
   * CoT type, cs callsign, team/role (__group), bat battery %, plat/model/os/ver
   * (takv), crs °, spd knots, stl stale (ms), sec sector, x the detail Vigie
   * does not read (only when it changed since the device's previous report).
   */
  'device.report': z.strictObject({
    d: z.string(),
    uid: z.string(),
    ty: z.string(),
    lat: z.number(),
    lon: z.number(),
    crs: z.number().optional(),
    spd: z.number().optional(),
    cs: z.string().optional(),
    team: z.string().optional(),
    role: z.string().optional(),
    bat: z.number().int().optional(),
    plat: z.string().optional(),
    model: z.string().optional(),
    os: z.string().optional(),
    ver: z.string().optional(),
    stl: z.number().int(),
    sec: sector,
    x: z.string().optional(),
    at,
  }),
  /**
   * A point placed on a device (cat `atom`: any affiliation and dimension,
   * `marker`: a spot marker): p point id, ty CoT type, cs label, rmk remarks,
   * col ARGB colour, d placing device, by its callsign, stl stale, x unread detail.
   */
  'field.point': z.strictObject({
    p: z.string(),
    uid: z.string(),
    ty: z.string(),
    cat: z.enum(['atom', 'marker']),
    lat: z.number(),
    lon: z.number(),
    cs: z.string().optional(),
    rmk: z.string().optional(),
    col: z.number().int().optional(),
    d: z.string().optional(),
    by: z.string().optional(),
    stl: z.number().int(),
    sec: sector,
    x: z.string().optional(),
    at,
  }),
  /** An emergency from a field device (ATAK's 911, ring the bell, troops in contact, geofence breach): e its id, d the device, u its unit when it is one. */
  'emergency.raised': z.strictObject({
    e: z.string(),
    d: z.string(),
    uid: z.string(),
    kind: z.enum(['911', 'ring-the-bell', 'troops-in-contact', 'geofence-breach']),
    cs: z.string().optional(),
    u: z.string().optional(),
    lat: z.number(),
    lon: z.number(),
    sec: sector,
    at,
  }),
  /** The device cancelled its emergency (b-a-o-can): by is who cancelled (the callsign the cancel names). */
  'emergency.cancelled': z.strictObject({ e: z.string(), d: z.string(), uid: z.string(), by: z.string().optional(), u: z.string().optional(), at }),
  /** A device deleted a point or marker (t-x-d-d). */
  'field.deleted': z.strictObject({ p: z.string(), uid: z.string(), d: z.string().optional(), at }),
  /** GeoChat received: m message id, d sender device, cs its callsign, room and rid (room id), to (a direct message's addressee uid), x unread detail. */
  'chat.received': z.strictObject({
    m: z.string(),
    d: z.string(),
    uid: z.string(),
    cs: z.string(),
    room: z.string(),
    rid: z.string(),
    to: z.string().optional(),
    text: z.string(),
    x: z.string().optional(),
    at,
  }),
  /**
   * An operator's GeoChat sent (the operator column says who): m message id,
   * to what it was addressed (all, team:<name>, device:<id>, unit:<id>), room
   * and rid as on the wire, text, d the devices it went out to, mesh 1 when it also went to the TAK mesh chat group.
   */
  'chat.sent': z.strictObject({ m: z.string(), to: z.string(), room: z.string(), rid: z.string(), text: z.string(), d: z.array(z.string()), mesh: flag }),
  /** A device acknowledged a GeoChat message (b-t-f-d delivered, b-t-f-r read): m the message, d the device. */
  'chat.receipt': z.strictObject({ m: z.string(), d: z.string(), uid: z.string(), st: z.enum(['delivered', 'read']), at }),

  // --- AIS (electron/core/feeds/ais; docs/ais.md) ---------------------------
  /**
   * An AIS position report (types 1, 2, 3, 18, 19, 27). m MMSI, msg AIS type,
   * sog knots, cog ° true, hdg heading °, nav navigational status 0–15, own
   * the receiver's own ship (VDO); lat/lon absent when the ship sent "not available".
   */
  'ais.position': z.strictObject({
    s: z.string(),
    m: z.number().int(),
    msg: z.number().int(),
    lat: z.number().optional(),
    lon: z.number().optional(),
    cog: z.number().optional(),
    sog: z.number().optional(),
    hdg: z.number().int().optional(),
    nav: z.number().int().optional(),
    own: flag,
    sec: sector,
    off: flag,
    at,
  }),
  /** AIS static and voyage data (types 5, 19, 24): name, cs call sign, imo, ty ship type, bow/stn/prt/stb metres from the antenna, dest, eta `MM-DDTHH:MM`, dr draught m. Only what was sent. */
  'ais.static': z.strictObject({
    s: z.string(),
    m: z.number().int(),
    msg: z.number().int(),
    name: z.string().optional(),
    cs: z.string().optional(),
    imo: z.number().int().optional(),
    ty: z.number().int().optional(),
    bow: z.number().int().optional(),
    stn: z.number().int().optional(),
    prt: z.number().int().optional(),
    stb: z.number().int().optional(),
    dest: z.string().optional(),
    eta: z.string().optional(),
    dr: z.number().optional(),
    at,
  }),
  /** An AIS base station (types 4, 11) or aid to navigation (type 21, with name, aid type, virt virtual). */
  'ais.station': z.strictObject({
    s: z.string(),
    m: z.number().int(),
    msg: z.number().int(),
    name: z.string().optional(),
    aid: z.number().int().optional(),
    virt: z.boolean().optional(),
    lat: z.number().optional(),
    lon: z.number().optional(),
    at,
  }),
  /** Any other AIS message type: who sent what, not drawn. */
  'ais.other': z.strictObject({ s: z.string(), m: z.number().int(), msg: z.number().int(), at }),
  /** Fusion (electron/core/fusion): radar track t is now the ship m, with confidence conf 0–1 (docs/fusion.md). */
  'ais.associated': z.strictObject({ t: z.string(), m: z.number().int(), conf: z.number() }),
  /** Fusion let go of the association of track t and ship m (why: the gate failed too often, the track or the ship is gone, or another ship fits better). */
  'ais.released': z.strictObject({ t: z.string(), m: z.number().int(), why: z.enum(['diverged', 'track-gone', 'ais-gone', 'replaced']) }),
  /** Ships not heard on AIS for 20 minutes, dropped from the picture (m: their MMSIs). */
  'ais.expired': z.strictObject({ m: z.array(z.number().int()) }),
  /** Messages a source sent over its rate limit in the last period. */
  'feed.throttled': z.strictObject({ src: z.string(), n: z.number().int().positive() }),

  // --- Sensor health (electron/core/feeds/sensorHealth.ts) -----------------
  'sensor.silent': z.strictObject({ s: z.string(), lastSeen: z.number().int().nullable() }),
  'sensor.recovered': z.strictObject({ s: z.string() }),
  /** An alert waited longer than the site's escalation time without acknowledgement. */
  'alert.escalated': z.strictObject({ alert: z.string() }),

  // --- Operator actions (with the operator column) --------------------------
  /** A new incident, opened by acknowledging its first alert. */
  'incident.opened': z.strictObject({ alert: z.string(), id: z.string(), lat: z.number(), lon: z.number(), sec: sector }),
  /** An operator acknowledged an alert into an incident (`merged` when it joined an existing one). */
  'alert.acknowledged': z.strictObject({ alert: z.string(), inc: z.string(), merged: flag }),
  /** An operator sent a unit to an incident (`override`: the unit was committed elsewhere; `delivered`: its terminal was reachable). */
  'dispatch.assigned': z.strictObject({
    a: z.string(),
    delivered: z.boolean(),
    inc: z.string(),
    lat: z.number(),
    lon: z.number(),
    override: flag,
    u: z.string(),
  }),
  /** An assignment withdrawn (the unit was sent elsewhere with an override). */
  'dispatch.cancelled': z.strictObject({ a: z.string(), reason: z.literal('override'), u: z.string() }),
  /** A note an operator added to an open incident. */
  'incident.noted': z.strictObject({ inc: z.string(), text: z.string() }),
  /** Closed by an operator with its outcome. */
  'incident.closed': z.strictObject({ inc: z.string(), notes: z.string(), outcome: Outcome }),
  /** The operator muted or unmuted the alert sounds. */
  'console.muted': z.strictObject({ muted: z.boolean() }),
  /**
   * A message from the regional centre to a post ("request assistance",
   * docs/federation.md#messages-from-the-centre), logged at the centre when
   * sent and at the post when received: m its id, post the post it is for,
   * text, at when the centre sent it.
   */
  'centre.message': z.strictObject({ m: z.string(), post: z.string(), text: z.string(), at: z.number().int() }),
  /** An operator at the post acknowledged a message from the centre. */
  'centre.message.acknowledged': z.strictObject({ m: z.string() }),

  /**
   * A supervisor registered a field device as a unit: d device id, uid as the
   * device sends it, u the unit, new (1: the unit was created by this
   * registration; its definition is the site.unit beside it).
   */
  'device.registered': z.strictObject({ d: z.string(), uid: z.string(), u: z.string(), new: flag }),
  /** A supervisor blocked a field device (its messages are quarantined, reason blocked-device) or lifted the block. */
  'device.blocked': z.strictObject({ d: z.string(), uid: z.string(), reason: z.string() }),
  'device.unblocked': z.strictObject({ d: z.string(), uid: z.string() }),
  /** An operator attached a point or marker placed on a device to an incident. */
  'field.attached': z.strictObject({ p: z.string(), inc: z.string() }),
  /** An operator linked a GeoChat message (sent or received) to an incident: it then travels in that incident's evidence. */
  'chat.linked': z.strictObject({ m: z.string(), inc: z.string() }),

  // --- Accounts and shifts (electron/core/accounts). No password or hash is ever logged.
  /** An account first seen by the core (created in the console, by `vigie user add`, or at first run). */
  'operator.created': z.strictObject({ name: z.string(), role: Role, by: z.string().nullable() }),
  /** A sign-in; `shift` is the shift it opened or joined; `seat` where (absent: the post's own console). */
  'session.signedIn': z.strictObject({ name: z.string(), shift: z.number().int(), seat: z.string().optional() }),
  'session.signedOut': z.strictObject({ name: z.string() }),
  /** A refused sign-in (the name as typed, truncated). */
  'session.failed': z.strictObject({ name: z.string().max(64), reason: z.enum(['unknown-name', 'wrong-password']) }),
  /** A request refused for the caller's role. */
  'access.denied': z.strictObject({ name: z.string(), role: Role, method: z.string() }),
  'shift.opened': z.strictObject({ shift: z.number().int(), by: z.string() }),
  'shift.closed': z.strictObject({ shift: z.number().int(), by: z.string(), handover: z.string() }),

  // --- The control room (electron/core/room; docs/room.md) ------------------
  /** A seat asked to join over the room address, showing `code`. */
  'seat.requested': z.strictObject({ seat: z.string(), code: z.string(), address: z.string(), label: z.string() }),
  /** A supervisor admitted the seat showing `code` (the operator column says who). */
  'seat.admitted': z.strictObject({ seat: z.string(), code: z.string(), address: z.string() }),
  /** A supervisor revoked a seat; its sessions ended. */
  'seat.revoked': z.strictObject({ seat: z.string(), code: z.string() }),
  /** An open incident handed over from one operator to another (the operator column says who did it). */
  'incident.transferred': z.strictObject({ inc: z.string(), from: z.string().nullable(), to: z.string() }),
} as const;

export type EventKind = keyof typeof EVENT_CATALOGUE;
export type EventPayloads = { [K in EventKind]: z.infer<(typeof EVENT_CATALOGUE)[K]> };
export type EventPayload<K extends EventKind> = EventPayloads[K];

export const EVENT_KINDS = Object.keys(EVENT_CATALOGUE) as EventKind[];

interface EventOf<K extends EventKind> {
  kind: K;
  source: string;
  /** Set for operator actions. */
  operator?: string | null;
  payload: EventPayloads[K];
  /** Received time; defaults to the log's clock. */
  time?: number;
}

/**
 * An event to append: for a union of kinds, the union of each kind with its
 * own payload, so a payload can never go with another kind.
 */
export type LogEvent<K extends EventKind = EventKind> = { [P in K]: EventOf<P> }[K];

/** Builds an event of one kind (payload checked against the kind at compile time). */
export function logEvent<K extends EventKind>(kind: K, source: string, payload: EventPayloads[K], time?: number): LogEvent<K> {
  return { kind, source, payload, time } as LogEvent<K>;
}

export function isEventKind(kind: string): kind is EventKind {
  return Object.hasOwn(EVENT_CATALOGUE, kind);
}

/** Kinds as a set for `has(event.kind)` on stored events, checked against the catalogue. */
export function kindSet(kinds: readonly EventKind[]): ReadonlySet<string> {
  return new Set<string>(kinds);
}

/**
 * A stored event's payload, typed from the catalogue: the value appended
 * (projections get it inside the append transaction) or its JSON read back.
 * Not validated — use checkPayload where a log from elsewhere must be trusted.
 */
export function storedPayload<K extends EventKind>(event: Pick<StoredEvent, 'payload' | 'value'>): EventPayloads[K] {
  return (event.value ?? JSON.parse(event.payload)) as EventPayloads[K];
}

/** Checks a payload against its kind's schema: undefined when it fits, otherwise why not. */
export function checkPayload(kind: string, payload: unknown): string | undefined {
  if (!isEventKind(kind)) return `${JSON.stringify(kind)} is not a kind of the event catalogue`;
  const checked = EVENT_CATALOGUE[kind].safeParse(payload);
  return checked.success ? undefined : describeIssues(checked.error, kind);
}
