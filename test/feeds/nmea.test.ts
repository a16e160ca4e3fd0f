import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { FeedMessage, type Parsed } from '../../electron/core/feeds/feedMessage';
import { LineFramer } from '../../electron/core/feeds/framing/lineFramer';
import { bearingDegrees, destinationPoint as destination, distanceMeters } from '../../shared/sphere';

/** [lon, lat] helpers over shared/sphere, the geodesy the NMEA adapter uses. */
function destinationPoint(from: readonly [number, number], bearing: number, meters: number): [number, number] {
  const { lat, lon } = destination(from[1], from[0], bearing, meters);
  return [lon, lat];
}
function distanceAndBearing(a: readonly [number, number], b: readonly [number, number]): { meters: number; bearing: number } {
  return { meters: distanceMeters(a[1], a[0], b[1], b[0]), bearing: bearingDegrees(a[1], a[0], b[1], b[0]) };
}
import { classFromName, nmeaChecksum, parseNmeaSentence } from '../../electron/core/feeds/nmea/parseNmeaSentence';

/** The demo site's radar at CROSS Gris-Nez. */
const GRISNEZ = { id: 'RAD-GRISNEZ', position: [1.584, 50.8697] as [number, number] };
/** 21:30:05 UTC on 14 July 2025: the fixture sentences are stamped 21:30:04.12. */
const RECEIVED = Date.UTC(2025, 6, 14, 21, 30, 5);

function sentence(body: string, lead = '$'): string {
  return `${lead}${body}*${nmeaChecksum(body)}`;
}

function ok(result: Parsed): FeedMessage {
  assert.ok(result.ok, result.ok ? '' : `${result.reason}: ${result.detail}`);
  assert.equal(result.messages.length, 1);
  const message = result.messages[0]!;
  assert.deepEqual(FeedMessage.parse(message), message, 'within the feed schema');
  return message;
}

function track(result: Parsed): Extract<FeedMessage, { type: 'track' }> {
  const message = ok(result);
  assert.equal(message.type, 'track');
  return message as Extract<FeedMessage, { type: 'track' }>;
}

function rejected(result: Parsed, reason: string, detail?: RegExp): void {
  assert.equal(result.ok, false, 'should be rejected');
  if (result.ok) return;
  assert.equal(result.reason, reason, result.detail);
  if (detail) assert.match(result.detail, detail);
}

const parse = (line: string, receivedAt = RECEIVED) => parseNmeaSentence(line, GRISNEZ, receivedAt);

describe('NMEA checksum', () => {
  test('matches published sentences', () => {
    // The TTM test vector of the Rust `nmea` crate, and the classic GGA example.
    assert.equal(nmeaChecksum('RATTM,00,0.5,187.5,T,12.0,17.6,T,0.0,1.2,N,TGT00,T,,100023.00,A'), '4E');
    assert.equal(nmeaChecksum('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,'), '47');
    assert.equal(nmeaChecksum(''), '00');
  });

  test('a wrong, missing or malformed checksum is bad-checksum; hex case does not matter', () => {
    const body = 'RATTM,00,0.5,187.5,T,12.0,17.6,T,0.0,1.2,N,TGT00,T,,100023.00,A';
    track(parse(`$${body}*4e`));
    rejected(parse(`$${body}*4F`), 'bad-checksum', /\*4F does not match.*\*4E/);
    rejected(parse(`$${body}`), 'bad-checksum', /no checksum/);
    rejected(parse(`$${body}*4`), 'bad-checksum');
    rejected(parse(`$${body}*4EX`), 'bad-checksum');
    rejected(parse(`$${body}*ZZ`), 'bad-checksum');
    rejected(parse(`$${body.replace('187.5', '187.6')}*4E`), 'bad-checksum', /does not match/);
  });
});

describe('destination point', () => {
  test('10 NM due west of Cap Gris-Nez', () => {
    const [lon, lat] = destinationPoint(GRISNEZ.position, 270, 10 * 1852);
    // Computed independently (Python, same sphere R = 6,371,008.8 m).
    assert.ok(Math.abs(lat - 50.869402444) < 1e-8, `lat ${lat}`);
    assert.ok(Math.abs(lon - 1.320084478) < 1e-8, `lon ${lon}`);
    // A great circle that starts due west bends south of the parallel.
    assert.ok(lat < GRISNEZ.position[1]);
    const back = distanceAndBearing(GRISNEZ.position, [lon, lat]);
    assert.ok(Math.abs(back.meters - 18_520) < 0.01);
    assert.ok(Math.abs(back.bearing - 270) < 1e-6);
  });

  test("the worked example of Chris Veness's 'movable type' page", () => {
    // 53°19′14″N 001°43′47″W, bearing 096°01′18″, 124.8 km → 53°11′18″N 000°08′00″E.
    const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;
    const [lon, lat] = destinationPoint([-dms(1, 43, 47), dms(53, 19, 14)], dms(96, 1, 18), 124_800);
    assert.ok(Math.abs(lat - dms(53, 11, 18)) < 1 / 3600, `lat ${lat}`);
    assert.ok(Math.abs(lon - dms(0, 8, 0)) < 1 / 3600, `lon ${lon}`);
  });

  test('round trips in every direction and across the antimeridian', () => {
    for (let bearing = 0; bearing < 360; bearing += 15) {
      const to = destinationPoint(GRISNEZ.position, bearing, 25_000);
      const back = distanceAndBearing(GRISNEZ.position, to);
      assert.ok(Math.abs(back.meters - 25_000) < 1e-3, `bearing ${bearing}`);
      assert.ok(Math.abs(((back.bearing - bearing + 540) % 360) - 180) < 1e-6, `bearing ${bearing}: ${back.bearing}`);
    }
    const [lon] = destinationPoint([179.99, 0], 90, 10_000);
    assert.ok(lon < -179.9 && lon >= -180);
  });
});

describe('TTM', () => {
  test('the fixture stream from an ARPA radar', () => {
    const framer = new LineFramer(200);
    const lines = framer.push(fs.readFileSync(path.join(__dirname, '../fixtures/feeds/nmea/arpa-grisnez.nmea'))) as Buffer[];
    const results = lines.map((line) => parse(line.toString('latin1')));
    assert.deepEqual(
      results.map((r) => (r.ok ? `${r.messages[0]!.type}` : r.reason)),
      ['track', 'track', 'track', 'track', 'track', 'track', 'track', 'unsupported', 'unsupported', 'track'],
    );
    const [sb01, ferry, ship, acquiring, lost, tll1, tll6, , , small] = results.map((r) =>
      r.ok ? (r.messages[0] as Extract<FeedMessage, { type: 'track' }>) : undefined,
    );
    assert.equal(sb01!.track, 'RAD-GRISNEZ:1');
    assert.equal(sb01!.sensor, 'RAD-GRISNEZ');
    assert.equal(sb01!.cls, 'small-boat');
    assert.equal(sb01!.speed, 14.8);
    assert.equal(sb01!.course, 315);
    assert.equal(sb01!.time, Date.UTC(2025, 6, 14, 21, 30, 4, 120));
    assert.equal(sb01!.lost, undefined);
    const fromRadar = distanceAndBearing(GRISNEZ.position, [sb01!.lon, sb01!.lat]);
    assert.ok(Math.abs(fromRadar.meters - 2.35 * 1852) < 0.01 && Math.abs(fromRadar.bearing - 292.4) < 1e-6);
    // TLL of the same target number lands on the same track id.
    assert.equal(tll1!.track, 'RAD-GRISNEZ:1');
    assert.equal(ferry!.cls, 'vessel');
    assert.equal(ship!.cls, 'vessel');
    assert.equal(acquiring!.cls, 'unknown');
    assert.equal(acquiring!.course, undefined);
    assert.equal(acquiring!.speed, 0);
    assert.equal(lost!.lost, true);
    assert.equal(tll6!.track, 'RAD-GRISNEZ:6');
    assert.equal(small!.cls, 'small-boat');
  });

  test('units: K is km and km/h, S statute miles and mph', () => {
    const km = track(parse(sentence('RATTM,11,4.0,90.0,T,37.04,180.0,T,,,K,,T,,213000.00,A')));
    assert.ok(Math.abs(km.speed! - 20) < 1e-9, `${km.speed}`);
    assert.ok(Math.abs(distanceAndBearing(GRISNEZ.position, [km.lon, km.lat]).meters - 4000) < 0.01);
    const statute = track(parse(sentence('RATTM,12,2.0,180.0,T,11.5078,0.0,T,,,S,,T,,213000.00,A')));
    assert.ok(Math.abs(statute.speed! - 10) < 1e-3, `${statute.speed}`);
    assert.ok(Math.abs(distanceAndBearing(GRISNEZ.position, [statute.lon, statute.lat]).meters - 3218.688) < 0.01);
    rejected(parse(sentence('RATTM,13,2.0,180.0,T,5,0.0,T,,,X,,T,,213000.00,A')), 'bad-sentence', /field 10/);
    rejected(parse(sentence('RATTM,13,2.0,180.0,T,5,0.0,T,,,,,T,,213000.00,A')), 'bad-sentence', /field 10/);
  });

  test('any two-letter talker; NMEA 2 sentences without time and acquisition', () => {
    const old = track(parse(sentence('IITTM,02,6.38,322.1,T,0.92,186.3,T,4.25,320.8,N,,T,')));
    assert.equal(old.track, 'RAD-GRISNEZ:2');
    assert.equal(old.time, RECEIVED, 'no UTC field: the time it was received');
  });

  test('UTC of data takes the day of reception, the previous day when that would be the future', () => {
    const justAfterMidnight = Date.UTC(2025, 6, 15, 0, 0, 2);
    assert.equal(track(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,235959.50,A'), justAfterMidnight)).time, Date.UTC(2025, 6, 14, 23, 59, 59, 500));
    const justBeforeMidnight = Date.UTC(2025, 6, 14, 23, 59, 58);
    assert.equal(track(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,000001.00,A'), justBeforeMidnight)).time, Date.UTC(2025, 6, 15, 0, 0, 1));
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,246000.00,A')), 'out-of-range', /field 14/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,21:30:00,A')), 'bad-sentence', /field 14/);
  });

  test('relative bearing or course from a shore radar is refused with the reason', () => {
    rejected(parse(sentence('RATTM,01,1.0,10.0,R,5,10,T,,,N,,T,,213000.00,A')), 'unsupported', /own-ship heading.*true \(T\) bearings/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,R,,,N,,T,,213000.00,A')), 'unsupported', /relative course/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,,5,10,T,,,N,,T,,213000.00,A')), 'bad-sentence', /field 4/);
  });

  test('empty, non-numeric and out-of-range fields are named', () => {
    rejected(parse(sentence('RATTM,,1.0,10.0,T,5,10,T,,,N,,T,,213000.00,A')), 'bad-sentence', /target number \(field 1\) is empty/);
    rejected(parse(sentence('RATTM,1000,1.0,10.0,T,5,10,T,,,N,,T,,213000.00,A')), 'bad-sentence', /field 1/);
    rejected(parse(sentence('RATTM,01,,10.0,T,5,10,T,,,N,,T,,213000.00,A')), 'bad-sentence', /target distance \(field 2\) is empty/);
    rejected(parse(sentence('RATTM,01,1.0,,T,5,10,T,,,N,,T,,213000.00,A')), 'bad-sentence', /bearing \(field 3\) is empty/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,fast,10,T,,,N,,T,,213000.00,A')), 'bad-sentence', /target speed \(field 5\) "fast"/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,1e2,T,,,N,,T,,213000.00,A')), 'bad-sentence', /field 6/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,x,,N,,T,,213000.00,A')), 'bad-sentence', /CPA distance \(field 8\)/);
    rejected(parse(sentence('RATTM,01,1.0,400.0,T,5,10,T,,,N,,T,,213000.00,A')), 'out-of-range', /bearing \(field 3\) 400/);
    rejected(parse(sentence('RATTM,01,-1.0,10.0,T,5,10,T,,,N,,T,,213000.00,A')), 'out-of-range', /field 2/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,361,T,,,N,,T,,213000.00,A')), 'out-of-range', /course \(field 6\)/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,120,10,T,,,N,,T,,213000.00,A')), 'out-of-range', /over 100 knots/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,X,,213000.00,A')), 'bad-sentence', /status \(field 12\)/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,Y,213000.00,A')), 'bad-sentence', /field 13/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,213000.00,Z')), 'bad-sentence', /field 15/);
  });

  test('truncated sentences', () => {
    const full = '$RATTM,01,2.35,292.4,T,14.8,315.0,T,1.90,-8.5,N,SB01,T,,213004.12,A*0A';
    track(parse(full));
    for (let cut = 1; cut < full.length; cut++) {
      const result = parse(full.slice(0, cut));
      assert.equal(result.ok, false, `cut at ${cut}`);
    }
    // Cut, but with a checksum that fits what is left: the field count gives it away.
    rejected(parse(sentence('RATTM,01,2.35,292.4,T,14.8,315.0,T,1.90')), 'bad-sentence', /TTM has 8 fields/);
    rejected(parse(sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,213000.00,A,EXTRA')), 'bad-sentence', /16 fields/);
  });

  test('sentences over 100 characters are oversized; CR LF and spaces around are tolerated', () => {
    const long = sentence(`RATTM,01,1.0,10.0,T,5,10,T,,,N,${'X'.repeat(60)},T,,213000.00,A`);
    assert.ok(long.length > 100);
    rejected(parse(long), 'oversized', /80 plus CR LF/);
    track(parse(`  ${sentence('RATTM,01,1.0,10.0,T,5,10,T,,,N,,T,,213000.00,A')}\r\n`));
    rejected(parse(''), 'bad-sentence', /empty/);
    rejected(parse('RATTM,01*00'), 'bad-sentence', /starts with \$/);
    rejected(parse(`$RATTM,01,é*${nmeaChecksum('RATTM,01,é')}`), 'bad-sentence', /ASCII/);
    rejected(parse(sentence('ratTM,01')), 'bad-sentence', /address field/);
  });

  test('other sentences are unsupported', () => {
    rejected(parse(sentence('GPGGA,213004.00,5052.18,N,00135.04,E,1,09,0.9,85.0,M,47.0,M,,')), 'unsupported', /GPGGA: only TTM and TLL/);
    rejected(parse('!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'), 'unsupported', /AIS/);
    rejected(parse(sentence('PFEC,GPatt,123.4')), 'unsupported', /proprietary/);
    rejected(parse(sentence('RAOSD,10.0,A,10.0,B,5.0,B,,,N')), 'unsupported');
  });

  test('track ids must stay valid ids', () => {
    const longRadar = { id: `R${'A'.repeat(62)}`, position: GRISNEZ.position };
    rejected(parseNmeaSentence(sentence('RATTM,123,1.0,10.0,T,5,10,T,,,N,,T,,213000.00,A'), longRadar, RECEIVED), 'bad-schema', /track id/);
  });
});

describe('TLL', () => {
  test('latitude and longitude in degrees and minutes, all four hemispheres', () => {
    const north = track(parse(sentence('RATLL,07,5054.20,N,00130.49,E,SB07,213004.12,T,')));
    assert.ok(Math.abs(north.lat - (50 + 54.2 / 60)) < 1e-12);
    assert.ok(Math.abs(north.lon - (1 + 30.49 / 60)) < 1e-12);
    assert.equal(north.cls, 'small-boat');
    assert.equal(north.track, 'RAD-GRISNEZ:7');
    assert.equal(north.time, Date.UTC(2025, 6, 14, 21, 30, 4, 120));
    const south = track(parse(sentence('RATLL,08,3352.50,S,15112.75,W,,,L,')));
    assert.ok(Math.abs(south.lat + (33 + 52.5 / 60)) < 1e-12);
    assert.ok(Math.abs(south.lon + (151 + 12.75 / 60)) < 1e-12);
    assert.equal(south.lost, true);
    assert.equal(south.time, RECEIVED);
    track(parse(sentence('RATLL,09,5054.20,N,00130.49,E,,213004.12,T')));
  });

  test('bad coordinates are named', () => {
    rejected(parse(sentence('RATLL,07,9130.00,N,00130.49,E,,213004.12,T,')), 'out-of-range', /latitude \(field 2\).*beyond 90/);
    rejected(parse(sentence('RATLL,07,5061.00,N,00130.49,E,,213004.12,T,')), 'out-of-range', /latitude \(field 2\).*minutes/);
    rejected(parse(sentence('RATLL,07,5054.20,N,18100.00,E,,213004.12,T,')), 'out-of-range', /longitude \(field 4\)/);
    rejected(parse(sentence('RATLL,07,,N,00130.49,E,,213004.12,T,')), 'bad-sentence', /latitude \(field 2\) is empty/);
    rejected(parse(sentence('RATLL,07,50N4.20,N,00130.49,E,,213004.12,T,')), 'bad-sentence', /latitude \(field 2\)/);
    rejected(parse(sentence('RATLL,07,5054.20,X,00130.49,E,,213004.12,T,')), 'bad-sentence', /hemisphere \(field 3\)/);
    rejected(parse(sentence('RATLL,07,5054.20,N,00130.49,,,213004.12,T,')), 'bad-sentence', /hemisphere \(field 5\)/);
    rejected(parse(sentence('RATLL,07,5054.20,N,00130.49,E')), 'bad-sentence', /TLL has 5 fields/);
  });
});

describe('classification by target name', () => {
  test('the documented convention', () => {
    for (const name of ['SB01', 'sb-zodiac', 'SMALL', 'two small boats']) assert.equal(classFromName(name), 'small-boat', name);
    for (const name of ['V2', 'v17 ferry', 'VESSEL', 'big ship', 'SHIP TSS']) assert.equal(classFromName(name), 'vessel', name);
    for (const name of ['', 'TGT00', 'VIKING', 'BUOY']) assert.equal(classFromName(name), 'unknown', name);
  });
});
