// NMEA 0183 radar target sentences as an ARPA radar emits them: $RATTM
// (range and bearing from the radar) and $RATLL (latitude/longitude).
// Checksum = XOR of every byte between '$' and '*', two hex digits; lines end
// CRLF and are at most 82 characters.

export const NMEA_MAX_LENGTH = 82;

export type TargetStatus = 'L' | 'Q' | 'T';

/** XOR of the characters of the sentence body (between '$' and '*'), as two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i) & 0xff;
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

const RESERVED = /[^\x20-\x7e]|[$*,!\\^~]/;

/** `$BODY*HH\r\n`; refuses to build a sentence over 82 characters or with a reserved character in a field. */
export function nmeaSentence(fields: readonly string[]): string {
  for (let i = 0; i < fields.length; i++) {
    if (RESERVED.test(fields[i]!)) throw new Error(`NMEA field ${JSON.stringify(fields[i])} holds a reserved or non-printable character`);
  }
  const body = fields.join(',');
  const sentence = `$${body}*${nmeaChecksum(body)}\r\n`;
  if (sentence.length > NMEA_MAX_LENGTH) throw new Error(`NMEA sentence over ${NMEA_MAX_LENGTH} characters: ${sentence.trimEnd()}`);
  return sentence;
}

/** hhmmss.ss, UTC. */
export function nmeaTime(ms: number): string {
  if (ms === lastTime.ms) return lastTime.text;
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const centiseconds = Math.floor(date.getUTCMilliseconds() / 10);
  const text = `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}.${two(centiseconds)}`;
  lastTime.ms = ms;
  lastTime.text = text;
  return text;
}
/** Many sentences share one stamp: keep the last formatting. */
const lastTime = { ms: NaN, text: '' };

/** Latitude as ddmm.mmmm and its hemisphere. */
export function nmeaLatitude(lat: number): [string, 'N' | 'S'] {
  return [degreesMinutes(Math.abs(lat), 2), lat >= 0 ? 'N' : 'S'];
}

/** Longitude as dddmm.mmmm and its hemisphere. */
export function nmeaLongitude(lon: number): [string, 'E' | 'W'] {
  return [degreesMinutes(Math.abs(lon), 3), lon >= 0 ? 'E' : 'W'];
}

function degreesMinutes(value: number, degreeDigits: number): string {
  let degrees = Math.floor(value);
  let minutes = Math.round((value - degrees) * 60 * 10_000) / 10_000;
  if (minutes >= 60) {
    degrees += 1;
    minutes -= 60;
  }
  return `${String(degrees).padStart(degreeDigits, '0')}${minutes.toFixed(4).padStart(7, '0')}`;
}

const fixed = (value: number, digits: number) => (Object.is(value, -0) ? 0 : value).toFixed(digits);

export interface TtmReport {
  /** Target number, unique per radar while the target is tracked. */
  number: number;
  /** Range from the radar, nautical miles. */
  distanceNm: number;
  /** Bearing from the radar, degrees true. */
  bearing: number;
  speedKnots: number;
  /** Course, degrees true. */
  course: number;
  /** Closest point of approach to the radar, nautical miles, and the time to it, minutes (negative once passed). */
  cpaNm: number;
  tcpaMinutes: number;
  name: string;
  status: TargetStatus;
}

/** `$RATTM,num,dist,brg,T,speed,course,T,cpa,tcpa,N,name,status,ref,hhmmss.ss,A*hh` */
export function encodeTtm(report: TtmReport, time: number): string {
  return nmeaSentence([
    'RATTM',
    String(report.number).padStart(2, '0'),
    fixed(report.distanceNm, 2),
    fixed(report.bearing % 360, 1),
    'T',
    fixed(report.speedKnots, 1),
    fixed(report.course % 360, 1),
    'T',
    fixed(report.cpaNm, 2),
    fixed(Math.max(-999.9, Math.min(999.9, report.tcpaMinutes)), 1),
    'N',
    report.name,
    report.status,
    '',
    nmeaTime(time),
    'A',
  ]);
}

export interface TllReport {
  number: number;
  lat: number;
  lon: number;
  name: string;
  status: TargetStatus;
}

/** `$RATLL,num,llll.llll,N,yyyyy.yyyy,E,name,hhmmss.ss,status,ref*hh` */
export function encodeTll(report: TllReport, time: number): string {
  const [lat, ns] = nmeaLatitude(report.lat);
  const [lon, ew] = nmeaLongitude(report.lon);
  return nmeaSentence(['RATLL', String(report.number).padStart(2, '0'), lat, ns, lon, ew, report.name, nmeaTime(time), report.status, '']);
}
