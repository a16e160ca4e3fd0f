// Turns one NMEA 0183 sentence from a shore radar (ARPA target output) into a
// normalised track, or a reason to quarantine it. Pure: the caller owns the
// socket, the framing (LineFramer) and knows which radar the listener is
// bound to — NMEA sentences do not say who sent them.
//
// Read: TTM (tracked target: range and bearing from the radar) and TLL
// (target latitude/longitude). Everything else is `unsupported`.
import type { FeedMessage, Parsed, RejectReason, TrackClass } from '../feedMessage';
import { destinationPoint } from '../../../../shared/sphere';

/**
 * Longest sentence accepted, in characters, without the line ending.
 * NMEA 0183 (3.01 §5.3) allows 82 characters including the `$` and the CR LF,
 * i.e. 80 before the line ending; real radars and GNSS receivers exceed it
 * now and then (a full 15-field TTM with a target name comes close), so we
 * accept up to 100 and call anything longer oversized.
 */
export const MAX_NMEA_SENTENCE_CHARS = 100;

export interface NmeaRadar {
  id: string;
  /** [lon, lat] of the antenna. */
  position: readonly [number, number];
}

const METERS_PER_NM = 1852;
/** Distance units of TTM field 10; the speed unit is the same per hour. */
const UNIT_METERS: Record<string, number> = { K: 1000, N: METERS_PER_NM, S: 1609.344 };
const UNIT_NAMES: Record<string, string> = { K: 'km and km/h', N: 'nautical miles and knots', S: 'statute miles and mph' };
const MAX_SPEED_KNOTS = 100;
const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

class Reject extends Error {
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** XOR of the character codes of `body` — everything between `$` (or `!`) and `*` — as two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return (sum & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

export function parseNmeaSentence(line: string, radar: NmeaRadar, receivedAt: number): Parsed {
  try {
    return { ok: true, messages: [parseSentence(line, radar, receivedAt)] };
  } catch (error) {
    if (error instanceof Reject) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}

function parseSentence(line: string, radar: NmeaRadar, receivedAt: number): FeedMessage {
  const text = line.trim();
  if (text.length === 0) throw new Reject('bad-sentence', 'empty line');
  if (text.length > MAX_NMEA_SENTENCE_CHARS)
    throw new Reject('oversized', `sentence of ${text.length} characters; NMEA allows 80 plus CR LF, Vigie accepts up to ${MAX_NMEA_SENTENCE_CHARS}`);
  const lead = text[0];
  if (lead !== '$' && lead !== '!') throw new Reject('bad-sentence', 'a sentence starts with $ (or ! for encapsulated data such as AIS)');
  if (!PRINTABLE_ASCII.test(text)) throw new Reject('bad-sentence', 'sentence holds characters outside printable ASCII');
  const star = text.indexOf('*');
  if (star === -1) throw new Reject('bad-checksum', 'no checksum: the sentence must end with *hh');
  const given = text.slice(star + 1);
  if (star !== text.length - 3 || !/^[0-9A-Fa-f]{2}$/.test(given))
    throw new Reject('bad-checksum', `checksum must be * and two hex digits ending the sentence, found "*${given}"`);
  const body = text.slice(1, star);
  const computed = nmeaChecksum(body);
  if (computed !== given.toUpperCase()) throw new Reject('bad-checksum', `checksum *${given} does not match the sentence (*${computed})`);

  const fields = body.split(',');
  const address = fields[0]!;
  if (lead === '!') throw new Reject('unsupported', `${address}: encapsulated sentences (AIS ${address.slice(2) || '…'}) are not read by the radar adapter`);
  if (address.startsWith('P')) throw new Reject('unsupported', `${address}: proprietary sentences are not read`);
  if (!/^[A-Z]{5}$/.test(address)) throw new Reject('bad-sentence', `address field "${address}" is not a two-letter talker and a three-letter sentence type`);
  const sentence = address.slice(2);
  if (sentence === 'TTM') return parseTtm(fields, radar, receivedAt);
  if (sentence === 'TLL') return parseTll(fields, radar, receivedAt);
  throw new Reject('unsupported', `${address}: only TTM and TLL radar target sentences are read`);
}

// $--TTM,num,dist,brg,T|R,speed,course,T|R,cpa,tcpa,units,name,status,ref[,hhmmss.ss,acq]*hh
function parseTtm(fields: string[], radar: NmeaRadar, receivedAt: number): FeedMessage {
  const count = fields.length - 1;
  if (count < 13 || count > 15) throw new Reject('bad-sentence', `TTM has ${count} fields; expected 13 (NMEA 2) to 15 (NMEA 3 and later)`);
  const field = (n: number): string => fields[n] ?? '';
  const target = targetNumber(field(1));
  const units = field(10);
  const unitMeters = UNIT_METERS[units];
  if (unitMeters === undefined) throw new Reject('bad-sentence', `speed/distance units (field 10) must be K, N or S, found "${units}"`);
  const distance = number(field(2), 'target distance (field 2)');
  if (distance === undefined) throw new Reject('bad-sentence', 'target distance (field 2) is empty');
  if (distance < 0) throw new Reject('out-of-range', `target distance (field 2) ${distance} is negative`);
  const bearing = number(field(3), 'bearing (field 3)');
  if (bearing === undefined) throw new Reject('bad-sentence', 'bearing (field 3) is empty');
  if (bearing < 0 || bearing > 360) throw new Reject('out-of-range', `bearing (field 3) ${bearing} is outside 0–360`);
  reference(field(4), 'bearing', 4);
  const rawSpeed = number(field(5), 'target speed (field 5)');
  const course = number(field(6), 'target course (field 6)');
  if (course !== undefined) {
    if (course < 0 || course > 360) throw new Reject('out-of-range', `target course (field 6) ${course} is outside 0–360`);
    reference(field(7), 'course', 7);
  }
  number(field(8), 'CPA distance (field 8)');
  number(field(9), 'time to CPA (field 9)');
  const name = field(11);
  const lost = status(field(12), 12);
  const ref = field(13);
  if (ref !== '' && ref !== 'R') throw new Reject('bad-sentence', `reference target (field 13) must be R or empty, found "${ref}"`);
  const time = utcTime(field(14), 'UTC of data (field 14)', receivedAt);
  const acquisition = field(15);
  if (acquisition !== '' && acquisition !== 'A' && acquisition !== 'M' && acquisition !== 'R')
    throw new Reject('bad-sentence', `acquisition type (field 15) must be A, M or R, found "${acquisition}"`);

  let speed: number | undefined;
  if (rawSpeed !== undefined) {
    if (rawSpeed < 0) throw new Reject('out-of-range', `target speed (field 5) ${rawSpeed} is negative`);
    speed = (rawSpeed * unitMeters) / METERS_PER_NM;
    if (speed > MAX_SPEED_KNOTS) throw new Reject('out-of-range', `target speed (field 5) ${rawSpeed} ${UNIT_NAMES[units]} is over ${MAX_SPEED_KNOTS} knots`);
  }
  const { lat, lon } = destinationPoint(radar.position[1], radar.position[0], bearing, distance * unitMeters);
  return track(radar, target, lat, lon, name, lost, time, course, speed);
}

// $--TLL,num,llll.ll,N|S,yyyyy.yy,E|W,name,hhmmss.ss,status[,ref]*hh
function parseTll(fields: string[], radar: NmeaRadar, receivedAt: number): FeedMessage {
  const count = fields.length - 1;
  if (count < 8 || count > 9) throw new Reject('bad-sentence', `TLL has ${count} fields; expected 9`);
  const field = (n: number): string => fields[n] ?? '';
  const target = targetNumber(field(1));
  const lat = coordinate(field(2), field(3), 'latitude', 2, 'N', 'S', 90);
  const lon = coordinate(field(4), field(5), 'longitude', 4, 'E', 'W', 180);
  const name = field(6);
  const time = utcTime(field(7), 'UTC of data (field 7)', receivedAt);
  const lost = status(field(8), 8);
  const ref = field(9);
  if (ref !== '' && ref !== 'R') throw new Reject('bad-sentence', `reference target (field 9) must be R or empty, found "${ref}"`);
  return track(radar, target, lat, lon, name, lost, time);
}

function track(
  radar: NmeaRadar,
  target: number,
  lat: number,
  lon: number,
  name: string,
  lost: boolean,
  time: number,
  course?: number,
  speed?: number,
): FeedMessage {
  const id = `${radar.id}:${target}`;
  if (!ID.test(id)) throw new Reject('bad-schema', `track id "${id}" (radar id and target number) is not a valid id`);
  const message: FeedMessage = { type: 'track', sensor: radar.id, track: id, lat, lon, cls: classFromName(name), time };
  if (course !== undefined) message.course = course;
  if (speed !== undefined) message.speed = speed;
  if (lost) message.lost = true;
  return message;
}

/**
 * Radar operators label targets in the name field; Vigie reads this
 * convention (case-insensitive, first match wins): a name starting `SB` or
 * containing `SMALL` is a small boat; `V` followed by a digit, or containing
 * `VESSEL` or `SHIP`, is a vessel; anything else (or no name) is unknown.
 */
export function classFromName(name: string): TrackClass {
  const upper = name.toUpperCase();
  if (upper.startsWith('SB') || upper.includes('SMALL')) return 'small-boat';
  if (/^V\d/.test(upper) || upper.includes('VESSEL') || upper.includes('SHIP')) return 'vessel';
  return 'unknown';
}

function targetNumber(text: string): number {
  if (text === '') throw new Reject('bad-sentence', 'target number (field 1) is empty');
  if (!/^\d{1,3}$/.test(text)) throw new Reject('bad-sentence', `target number (field 1) "${text}" is not a number 0–999`);
  return Number(text);
}

function number(text: string, what: string): number | undefined {
  if (text === '') return undefined;
  if (!NUMBER.test(text)) throw new Reject('bad-sentence', `${what} "${text}" is not a number`);
  return Number(text);
}

function reference(text: string, what: string, field: number): void {
  if (text === 'T') return;
  if (text === 'R') {
    throw new Reject('unsupported', `relative ${what} (field ${field} = R): a shore radar has no own-ship heading to add, so only true (T) ${what}s are read`);
  }
  throw new Reject('bad-sentence', `${what} reference (field ${field}) must be T (true) or R (relative), found "${text}"`);
}

/** TTM/TLL target status: L lost, Q being acquired, T tracking; empty is taken as tracking. Returns whether the target is lost. */
function status(text: string, field: number): boolean {
  if (text === 'L') return true;
  if (text === '' || text === 'T' || text === 'Q') return false;
  throw new Reject('bad-sentence', `target status (field ${field}) must be L, Q or T, found "${text}"`);
}

function coordinate(text: string, hemisphere: string, what: string, field: number, positive: string, negative: string, limit: number): number {
  if (text === '') throw new Reject('bad-sentence', `${what} (field ${field}) is empty`);
  if (!/^\d+(?:\.\d+)?$/.test(text))
    throw new Reject('bad-sentence', `${what} (field ${field}) "${text}" is not a ${limit === 90 ? 'ddmm.mm' : 'dddmm.mm'} value`);
  if (hemisphere !== positive && hemisphere !== negative)
    throw new Reject('bad-sentence', `${what} hemisphere (field ${field + 1}) must be ${positive} or ${negative}, found "${hemisphere}"`);
  const value = Number(text);
  const degrees = Math.floor(value / 100);
  const minutes = value - degrees * 100;
  if (minutes >= 60) throw new Reject('out-of-range', `${what} (field ${field}) "${text}" has ${minutes.toFixed(4)} minutes`);
  const decimal = degrees + minutes / 60;
  if (decimal > limit) throw new Reject('out-of-range', `${what} (field ${field}) "${text}" is beyond ${limit}°`);
  return hemisphere === negative ? -decimal : decimal;
}

/**
 * hhmmss(.ss) UTC on the UTC day of `receivedAt`; a result more than 12 h
 * from `receivedAt` is moved to the neighbouring day (a sentence stamped
 * 23:59:59 received at 00:00:02 is from yesterday). Empty → `receivedAt`.
 */
function utcTime(text: string, what: string, receivedAt: number): number {
  if (text === '') return receivedAt;
  const match = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match) throw new Reject('bad-sentence', `${what} "${text}" is not hhmmss.ss`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = Number(match[3]);
  if (hours > 23 || minutes > 59 || seconds >= 61) throw new Reject('out-of-range', `${what} "${text}" is not a time of day`);
  let time = Math.floor(receivedAt / DAY_MS) * DAY_MS + Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
  if (time - receivedAt > HALF_DAY_MS) time -= DAY_MS;
  else if (receivedAt - time > HALF_DAY_MS) time += DAY_MS;
  return time;
}
