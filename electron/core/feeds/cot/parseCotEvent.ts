// Turns one Cursor-on-Target event (XML) into normalised feed messages, or a
// reason to quarantine it. Pure: the caller owns sockets and framing
// (CotStreamFramer for TCP, one datagram per event for UDP) and passes the
// site, which says who the sensors and units are. The mapping is documented
// as a table in docs/feeds.md.
import { isUtf8 } from 'node:buffer';
import { DetectionKind, UnitStatus } from '../feedMessage';
import type { FeedMessage, Parsed, TrackClass } from '../feedMessage';
import { Reject } from './cotReject';
import { cotId } from './cotId';

export { cotId } from './cotId';
import type { Site, SiteSensor, SiteUnit } from '../../../../shared/site';
import {
  chatMessage,
  chatReceipt,
  deviceReport,
  emergency,
  emergencyKind,
  fieldDelete,
  fieldPoint,
  isSelfReport,
  parentLink,
  type CotEnvelope,
} from './takEvents';
import { attribute, child, parseXml, XmlError } from './xml';
import type { XmlElement } from './xml';

/** Largest event accepted, bytes (the TCP framer uses the same cap). */
export const MAX_COT_EVENT_BYTES = 64 * 1024;
/** CoT's "unknown" for ce, le and hae. */
export const COT_UNKNOWN = 9_999_999;
/** Our outbound tasking type (core → unit terminal); see encodeCotTasking. */
export const VIGIE_TASKING_TYPE = 't-x-d';

const KNOTS_PER_MPS = 3600 / 1852;
const MAX_KNOTS = 100;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPE = /^[A-Za-z](?:-[A-Za-z0-9_.]+)*$/;
const HOW = /^[A-Za-z](?:-[A-Za-z0-9_.]+)*$/;

/** The site's CoT identities, indexed once per site object. */
interface SiteIndex {
  unitsByUid: Map<string, SiteUnit>;
  /** Callsigns of units whose terminal speaks CoT: the fallback when a terminal's uid changed. */
  unitsByCallsign: Map<string, SiteUnit>;
  /** Every unit's callsign, only to explain a refusal. */
  anyUnitByCallsign: Map<string, SiteUnit>;
  sensorsByCotId: Map<string, SiteSensor>;
}

const indexes = new WeakMap<Site, SiteIndex>();

function siteIndex(site: Site): SiteIndex {
  let index = indexes.get(site);
  if (index) return index;
  index = { unitsByUid: new Map(), unitsByCallsign: new Map(), anyUnitByCallsign: new Map(), sensorsByCotId: new Map() };
  for (const unit of site.units) {
    if (unit.device.protocol === 'cot') {
      if (!index.unitsByUid.has(unit.device.uid)) index.unitsByUid.set(unit.device.uid, unit);
      if (!index.unitsByCallsign.has(unit.callsign)) index.unitsByCallsign.set(unit.callsign, unit);
    }
    if (!index.anyUnitByCallsign.has(unit.callsign)) index.anyUnitByCallsign.set(unit.callsign, unit);
  }
  for (const sensor of site.sensors) {
    for (const id of [sensor.id, ...(sensor.cotUids ?? [])]) if (!index.sensorsByCotId.has(id)) index.sensorsByCotId.set(id, sensor);
  }
  indexes.set(site, index);
  return index;
}

/** Field devices a supervisor registered as units (devices/deviceRegistry.ts): their reports move that unit. */
export interface RegisteredDevices {
  unitOf(uid: string): string | undefined;
}

const NO_REGISTRATIONS: RegisteredDevices = { unitOf: () => undefined };

export function parseCotEvent(input: string | Buffer, site: Site, receivedAt: number, registered: RegisteredDevices = NO_REGISTRATIONS): Parsed {
  try {
    return { ok: true, messages: parseEvent(input, site, receivedAt, registered) };
  } catch (error) {
    if (error instanceof Reject) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}

function parseEvent(input: string | Buffer, site: Site, receivedAt: number, registered: RegisteredDevices): FeedMessage[] {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > MAX_COT_EVENT_BYTES / 3 && Buffer.byteLength(input) > MAX_COT_EVENT_BYTES)
      throw new Reject('oversized', `event over ${MAX_COT_EVENT_BYTES} bytes`);
    text = input;
  } else {
    if (input.length > MAX_COT_EVENT_BYTES) throw new Reject('oversized', `event over ${MAX_COT_EVENT_BYTES} bytes`);
    if (input[0] === 0xbf)
      throw new Reject('unsupported', 'TAK Protocol v1 (protobuf, 0xbf header): Vigie reads CoT XML only — set the sender to protocol version 0 (XML)');
    if (!isUtf8(input)) throw new Reject('bad-xml', 'not valid UTF-8');
    text = input.toString('utf8');
  }

  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw new Reject('bad-xml', error.message);
    throw error;
  }
  if (root.local !== 'event') throw new Reject('bad-schema', `root element is <${root.name}>, not <event>`);

  const version = attribute(root, 'version');
  // Some devices write "2" (or "2.00"): the same version.
  if (version !== undefined && !/^2(?:\.0+)?$/.test(version)) throw new Reject('wrong-version', `CoT version "${version}"; this core reads 2.0`);
  const uid = required(root, 'uid');
  if (uid.length > 256) throw new Reject('bad-schema', 'event uid is longer than 256 characters');
  const type = required(root, 'type');
  if (!TYPE.test(type)) throw new Reject('bad-schema', `event type "${type}" is not a CoT type (e.g. a-f-G-U-C)`);
  const how = required(root, 'how');
  if (!HOW.test(how)) throw new Reject('bad-schema', `event how "${how}" is not a CoT how (e.g. m-g, h-e)`);
  const time = isoTime(required(root, 'time'), 'time');
  const start = isoTime(required(root, 'start'), 'start');
  const stale = isoTime(required(root, 'stale'), 'stale');
  if (stale < start) throw new Reject('bad-schema', 'event stale is before its start');

  const point = child(root, 'point');
  if (!point) throw new Reject('bad-schema', 'event has no <point>');
  const lat = decimal(point, 'lat', 'point', true)!;
  const lon = decimal(point, 'lon', 'point', true)!;
  if (lat < -90 || lat > 90) throw new Reject('out-of-range', `point lat ${lat} is outside -90–90`);
  if (lon < -180 || lon > 180) throw new Reject('out-of-range', `point lon ${lon} is outside -180–180`);
  optionalMeasure(point, 'hae');
  const ce = optionalMeasure(point, 'ce');
  const le = optionalMeasure(point, 'le');
  if ((ce !== undefined && ce < 0) || (le !== undefined && le < 0))
    throw new Reject('out-of-range', 'point ce and le are errors in metres and cannot be negative');

  if (stale < receivedAt) throw new Reject('stale', `stale since ${new Date(stale).toISOString()} (received ${new Date(receivedAt).toISOString()})`);

  const detail = child(root, 'detail');
  const index = siteIndex(site);
  const [kind, affiliation, dimension] = type.split('-');

  if (kind === 'a') {
    if (affiliation === 'f' && dimension === 'A') {
      const sensor = index.sensorsByCotId.get(uid);
      if (sensor?.kind === 'drone') return [{ type: 'heartbeat', sensor: sensor.id, time }];
    }
    const ownUnit = affiliation === 'f' ? (index.unitsByUid.get(uid)?.id ?? registered.unitOf(uid)) : undefined;
    const selfReport = affiliation === 'f' && dimension === 'G' && isSelfReport(detail);
    if (ownUnit || selfReport) {
      const unit = ownUnit ?? unitByCallsign(index, detail)?.id;
      // A friendly device no unit has yet: it shows as an unregistered device until a supervisor registers it.
      if (!unit) return [deviceReport(envelope(uid, type, lat, lon, time, stale, detail))];
      const motion = trackOf(detail);
      const position: FeedMessage = { type: 'unit-position', unit, lat, lon, time };
      if (motion.course !== undefined) position.heading = motion.course;
      if (motion.speed !== undefined) position.speed = motion.speed;
      const ack = unitAck(unit, detail, time);
      return ack ? [position, ack] : [position];
    }
    // Entered by a person (h-…), or linked to the device that placed it; a machine-measured sea track (m-…) is a sensor's.
    const placed = how.startsWith('h-') || (parentLink(detail) !== undefined && dimension !== 'S');
    if (dimension === 'S' && (!placed || reportingSensorOrNone(index, uid, detail))) {
      const sensor = reportingSensor(index, uid, detail);
      const motion = trackOf(detail);
      const message: FeedMessage = { type: 'track', sensor: sensor.id, track: cotId(uid), lat, lon, cls: classOf(affiliation!), time, stale };
      if (motion.course !== undefined) message.course = motion.course;
      if (motion.speed !== undefined) message.speed = motion.speed;
      return [message];
    }
    // A point a user placed (hostile, unknown, neutral… on ground, sea or in the air): drawn with who placed it.
    if (placed) return [fieldPoint(envelope(uid, type, lat, lon, time, stale, detail), 'atom')];
    throw new Reject(
      'unsupported',
      `type ${type}: Vigie reads friendly ground devices (a-f-G), sea-surface tracks (a-?-S), its drones (a-f-A) and points placed by a device (with a p-p link)`,
    );
  }

  const alarm = emergencyKind(type);
  if (alarm)
    return [emergency(envelope(uid, type, lat, lon, time, stale, detail), alarm, (device) => index.unitsByUid.get(device)?.id ?? registered.unitOf(device))];
  if (type === 'b-t-f') return [chatMessage(envelope(uid, type, lat, lon, time, stale, detail))];
  if (type === 'b-t-f-d' || type === 'b-t-f-r')
    return [chatReceipt(envelope(uid, type, lat, lon, time, stale, detail), type === 'b-t-f-d' ? 'delivered' : 'read')];
  if (isType(type, 't-x-d-d')) return [fieldDelete(envelope(uid, type, lat, lon, time, stale, detail))];
  if (isType(type, 'b-m-p') && !(isType(type, 'b-m-p-s-p-i') && reportingSensorOrNone(index, uid, detail)))
    return [fieldPoint(envelope(uid, type, lat, lon, time, stale, detail), 'marker')];

  if (isType(type, 'b-m-p-s-p-i') || isType(type, 'b-d')) {
    const sensor = reportingSensor(index, uid, detail);
    const extension = detail ? child(detail, 'vigie') : undefined;
    const kindText = extension ? attribute(extension, 'kind') : undefined;
    let detectionKind: DetectionKind = 'suspicious-activity';
    if (kindText !== undefined) {
      const parsed = DetectionKind.safeParse(kindText);
      if (!parsed.success) throw new Reject('bad-schema', `<vigie kind="${kindText}"> is not one of ${DetectionKind.options.join(', ')}`);
      detectionKind = parsed.data;
    }
    let confidence = extension ? decimal(extension, 'confidence', 'vigie', false) : undefined;
    if (confidence === undefined) confidence = confidenceFromCe(ce);
    else if (confidence < 0 || confidence > 1) throw new Reject('out-of-range', `<vigie confidence="${confidence}"> is outside 0–1`);
    const count = extension ? decimal(extension, 'count', 'vigie', false) : undefined;
    if (count !== undefined && !(Number.isInteger(count) && count >= 0 && count <= 10_000))
      throw new Reject('out-of-range', `<vigie count="${count}"> is not a whole number 0–10000`);
    const message: FeedMessage = { type: 'detection', sensor: sensor.id, detection: cotId(uid), kind: detectionKind, lat, lon, confidence, time };
    if (count !== undefined) message.count = count;
    return [message];
  }

  if (kind === 'y') {
    const unit = replyingUnit(index, uid, detail);
    if (!unit)
      throw new Reject(
        'unknown-unit',
        `reply ${type} from uid "${uid}": no unit of the site has this CoT uid or a p-p link to one${callsignNote(index, detail)}`,
      );
    const ack = unitAck(unit.id, detail, time);
    if (!ack) throw new Reject('unsupported', `reply ${type} without <vigie status="…">: only Vigie unit-terminal replies are read`);
    return [ack];
  }

  if (isType(type, VIGIE_TASKING_TYPE))
    throw new Reject('unsupported', `type ${type} is Vigie's own outbound tasking (core → unit); it is never accepted inbound`);
  throw new Reject('unsupported', `type ${type}${describeFamily(type)} is not read by Vigie`);
}

function envelope(uid: string, type: string, lat: number, lon: number, time: number, stale: number, detail: XmlElement | undefined): CotEnvelope {
  return { uid, type, lat, lon, time, stale, detail, motion: trackOf(detail) };
}

function describeFamily(type: string): string {
  if (isType(type, 'b-a')) return ' (emergency alert)';
  if (isType(type, 'b-t-f')) return ' (GeoChat)';
  if (isType(type, 'u-d')) return ' (drawing)';
  if (isType(type, 't')) return ' (tasking)';
  return '';
}

/** `type` is `family` or a subtype of it (`b-d` matches `b-d-r` but not `b-dx`). */
function isType(type: string, family: string): boolean {
  return type === family || (type.startsWith(family) && type.charCodeAt(family.length) === 0x2d);
}

function required(element: XmlElement, name: string): string {
  const value = attribute(element, name);
  if (value === undefined || value === '') throw new Reject('bad-schema', `<${element.local}> has no ${name}`);
  return value;
}

/** hae, ce, le: a number, or unknown — absent, 9999999 (CoT's convention) or NaN (what some devices write). */
function optionalMeasure(point: XmlElement, name: string): number | undefined {
  const text = attribute(point, name);
  if (text === 'NaN' || text === 'nan') return undefined;
  const value = decimal(point, name, 'point', false);
  return value !== undefined && value >= COT_UNKNOWN ? undefined : value;
}

/** A numeric attribute; undefined when absent (or empty and not required). */
function decimal(element: XmlElement, name: string, where: string, isRequired: boolean): number | undefined {
  const text = attribute(element, name);
  if (text === undefined || text === '') {
    if (isRequired) throw new Reject('bad-schema', `<${where}> has no ${name}`);
    return undefined;
  }
  if (!NUMBER.test(text)) throw new Reject('bad-schema', `<${where}> ${name}="${text}" is not a number`);
  return Number(text);
}

/**
 * ISO-8601 date-time as CoT writes it: `2025-06-01T10:00:00Z`, fractional
 * seconds optional (1–9 digits, read to the millisecond), `Z` or a numeric
 * offset (`+00:00`, as some libraries write). Returns epoch ms. Hand-parsed:
 * three of these per event are on the hot path.
 */
export function isoTime(text: string, name = 'time'): number {
  if (text.length < 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') badTime(text, name);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  )
    badTime(text, name);
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    let count = 0;
    for (; i < text.length; i++, count++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (count < 3) millis = millis * 10 + d;
    }
    if (count === 0 || count > 9) badTime(text, name);
    for (; count < 3; count++) millis *= 10;
  }
  let offset = 0;
  if (text[i] === 'Z' && i + 1 === text.length) {
    // UTC
  } else if ((text[i] === '+' || text[i] === '-') && i + 6 === text.length && text[i + 3] === ':') {
    const hours = digits(text, i + 1, 2);
    const minutes = digits(text, i + 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) badTime(text, name);
    offset = (text[i] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  } else {
    badTime(text, name);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
}

function badTime(text: string, name: string): never {
  throw new Reject('bad-schema', `event ${name} "${text}" is not an ISO-8601 UTC time (yyyy-mm-ddThh:mm:ss[.fff]Z)`);
}

/** The number written by `count` ASCII digits at `from`, or -1. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `<track course speed>`: course degrees true, speed m/s in CoT → knots. */
function trackOf(detail: XmlElement | undefined): { course?: number; speed?: number } {
  const track = detail ? child(detail, 'track') : undefined;
  if (!track) return {};
  const course = decimal(track, 'course', 'track', false);
  const speed = decimal(track, 'speed', 'track', false);
  if (course !== undefined && (course < 0 || course > 360)) throw new Reject('out-of-range', `<track course="${course}"> is outside 0–360`);
  let knots: number | undefined;
  if (speed !== undefined) {
    if (speed < 0) throw new Reject('out-of-range', `<track speed="${speed}"> is negative`);
    knots = speed * KNOTS_PER_MPS;
    if (knots > MAX_KNOTS) throw new Reject('out-of-range', `<track speed="${speed}"> m/s is over ${MAX_KNOTS} knots`);
  }
  return { course, speed: knots };
}

function callsignOf(detail: XmlElement | undefined): string | undefined {
  const contact = detail ? child(detail, 'contact') : undefined;
  return contact ? attribute(contact, 'callsign') : undefined;
}

function callsignNote(index: SiteIndex, detail: XmlElement | undefined): string {
  const callsign = callsignOf(detail);
  if (callsign === undefined) return ' and it gives no callsign';
  const other = index.anyUnitByCallsign.get(callsign);
  if (other && other.device.protocol !== 'cot') return ` or callsign "${callsign}" (that callsign is ${other.id}, whose terminal speaks Vigie JSON, not CoT)`;
  return ` or callsign "${callsign}"`;
}

function unitByCallsign(index: SiteIndex, detail: XmlElement | undefined): SiteUnit | undefined {
  const callsign = callsignOf(detail);
  return callsign === undefined ? undefined : index.unitsByCallsign.get(callsign);
}

/** `p-p` (parent/producer) link uids, in document order. */
function parentLinks(detail: XmlElement | undefined): string[] {
  const uids: string[] = [];
  if (!detail) return uids;
  for (const element of detail.children) {
    if (element.local !== 'link' || attribute(element, 'relation') !== 'p-p') continue;
    const uid = attribute(element, 'uid');
    if (uid) uids.push(uid);
  }
  return uids;
}

function replyingUnit(index: SiteIndex, uid: string, detail: XmlElement | undefined): SiteUnit | undefined {
  const own = index.unitsByUid.get(uid);
  if (own) return own;
  for (const parent of parentLinks(detail)) {
    const unit = index.unitsByUid.get(parent);
    if (unit) return unit;
  }
  return unitByCallsign(index, detail);
}

function reportingSensorOrNone(index: SiteIndex, uid: string, detail: XmlElement | undefined): SiteSensor | undefined {
  try {
    return reportingSensor(index, uid, detail);
  } catch (error) {
    if (error instanceof Reject) return undefined;
    throw error;
  }
}

/** The sensor that produced a track or detection: a `p-p` link, else the uid up to its first '.'. */
function reportingSensor(index: SiteIndex, uid: string, detail: XmlElement | undefined): SiteSensor {
  const parents = parentLinks(detail);
  for (const parent of parents) {
    const sensor = index.sensorsByCotId.get(parent);
    if (sensor) return sensor;
  }
  const dot = uid.indexOf('.');
  const prefix = dot === -1 ? uid : uid.slice(0, dot);
  const sensor = index.sensorsByCotId.get(prefix);
  if (sensor) return sensor;
  const links = parents.length ? `p-p link ${parents.map((p) => `"${p}"`).join(', ')} nor ` : 'no p-p link, nor ';
  throw new Reject('unknown-sensor', `no sensor of the site matches: ${links}uid prefix "${prefix}"`);
}

/** `<vigie status assignment/>` from a unit terminal → a unit-ack, when a status is given. */
function unitAck(unit: string, detail: XmlElement | undefined, time: number): FeedMessage | undefined {
  const extension = detail ? child(detail, 'vigie') : undefined;
  const status = extension ? attribute(extension, 'status') : undefined;
  if (!extension || status === undefined) return undefined;
  const parsed = UnitStatus.safeParse(status);
  if (!parsed.success) throw new Reject('bad-schema', `<vigie status="${status}"> is not one of ${UnitStatus.options.join(', ')}`);
  const ack: FeedMessage = { type: 'unit-ack', unit, status: parsed.data, time };
  const assignment = attribute(extension, 'assignment');
  if (assignment !== undefined && assignment !== '') {
    if (!ID.test(assignment)) throw new Reject('bad-schema', `<vigie assignment="${assignment}"> is not a valid id`);
    ack.assignment = assignment;
  }
  return ack;
}

/** Affiliation → track class: hostile or suspect are small boats, unknown stays unknown, any other affiliation is a vessel. */
function classOf(affiliation: string): TrackClass {
  if (affiliation === 'h' || affiliation === 's') return 'small-boat';
  if (affiliation === 'u') return 'unknown';
  return 'vessel';
}

/** Without a stated confidence, the position error decides: ce ≤ 50 m → 0.8, ≤ 500 m → 0.6, larger or unknown → 0.4. */
export function confidenceFromCe(ce: number | undefined): number {
  if (ce === undefined || ce >= COT_UNKNOWN) return 0.4;
  if (ce <= 50) return 0.8;
  if (ce <= 500) return 0.6;
  return 0.4;
}
