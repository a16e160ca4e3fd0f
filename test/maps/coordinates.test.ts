// Degrees-minutes-seconds, MGRS and typed coordinates (shared/coordinates.ts).
// MGRS references: the USNG standard's example (FGDC-STD-011-2001, the
// Washington Monument, 18S UJ 23487 06483); NGA's format example 4Q FJ 12345
// 67890; the Eiffel Tower example of Chris Veness's geodesy library
// documentation (31U DQ 48251 11932 = 48°51′29.50″N 002°17′40.16″E); and
// points in Sydney and in the Norway and Svalbard exception zones whose
// references were computed with PROJ (the latitude/longitude given are the
// centres of the 1 m squares, so a correct conversion lands in exactly that square).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDms, formatMgrs, fromUtm, parseCoordinate, parseMgrs, toUtm, utmZone } from '../../shared/coordinates';
import { distanceMeters } from '../../shared/sphere';

const REFERENCES: [string, number, number, string][] = [
  ['Washington Monument (USNG standard)', 38.8895042212, -77.0351913258, '18S UJ 23487 06483'],
  ['NGA format example, Oahu', 21.4098011578, -157.9160763175, '4Q FJ 12345 67890'],
  ['Sydney, southern hemisphere', -33.8586594875, 151.2140283575, '56H LH 34786 52080'],
  ['Norway, zone 32 exception', 60.0000024344, 4.9999920517, '32V KM 76979 58157'],
  ['Svalbard, zone 33 exception', 78.0000026844, 20.000000029, '33X XG 15914 63320'],
];

describe('MGRS', () => {
  for (const [name, lat, lon, mgrs] of REFERENCES) {
    test(`${name}: ${mgrs}`, () => {
      assert.equal(formatMgrs(lat, lon), mgrs);
      const back = parseMgrs(mgrs)!;
      assert.ok(distanceMeters(lat, lon, back.lat, back.lon) < 0.05, `${mgrs} reads back within 5 cm (got ${back.lat}, ${back.lon})`);
      assert.deepEqual(parseMgrs(mgrs.replace(/ /g, '').toLowerCase()), back);
    });
  }

  test('the Eiffel Tower example: reference to latitude/longitude', () => {
    const point = parseMgrs('31U DQ 48251 11932')!;
    // The square's centre is half a metre from its corner; Veness converts the corner.
    const corner = { lat: 48 + 51 / 60 + 29.5 / 3600, lon: 2 + 17 / 60 + 40.16 / 3600 };
    assert.ok(distanceMeters(point.lat, point.lon, corner.lat, corner.lon) < 1.2);
    assert.equal(formatDms(point.lat, point.lon), '48°51′29.5″N 002°17′40.2″E');
  });

  test('precision: fewer digits truncate, and name the square centre when read back', () => {
    assert.equal(formatMgrs(38.8895042212, -77.0351913258, 4), '18S UJ 2348 0648');
    assert.equal(formatMgrs(38.8895042212, -77.0351913258, 1), '18S UJ 2 0');
    const square = parseMgrs('18S UJ 2348 0648')!;
    const corner = parseMgrs('18S UJ 23480 06480')!;
    assert.ok(Math.abs(distanceMeters(square.lat, square.lon, corner.lat, corner.lon) - Math.SQRT2 * 4.5) < 0.1);
    assert.ok(parseMgrs('18S UJ'), 'a bare 100 km square');
  });

  test("the Côte d'Opale: zone 31, band U", () => {
    assert.match(formatMgrs(50.9581, 1.8525)!, /^31U [A-Z]{2} \d{5} \d{5}$/);
    assert.equal(utmZone(50.9581, 1.8525), 31);
    // Round trip through UTM, a millimetre or better.
    const utm = toUtm(50.9581, 1.8525);
    const back = fromUtm(utm);
    assert.ok(distanceMeters(50.9581, 1.8525, back.lat, back.lon) < 0.001);
  });

  test('no reference beyond the UTM areas; bad references read as nothing', () => {
    assert.equal(formatMgrs(84.5, 0), null);
    assert.equal(formatMgrs(-80.5, 0), null);
    assert.equal(formatMgrs(Number.NaN, 0), null);
    assert.equal(parseMgrs('31U DQ 4825 119'), null, 'odd number of digits');
    assert.equal(parseMgrs('61U DQ 48251 11932'), null, 'no zone 61');
    assert.equal(parseMgrs('31I DQ 48251 11932'), null, 'no band I');
    assert.equal(parseMgrs('31U IQ 48251 11932'), null, 'no column I');
    assert.equal(parseMgrs('31U JQ 48251 11932'), null, 'column J is not in zone 31');
  });
});

describe('degrees, minutes, seconds', () => {
  test('formats with carries and hemispheres', () => {
    assert.equal(formatDms(50.953416, 1.857666), '50°57′12.3″N 001°51′27.6″E');
    assert.equal(formatDms(-33.5, -70.999999), '33°30′00.0″S 071°00′00.0″W');
    assert.equal(formatDms(0, 0), '00°00′00.0″N 000°00′00.0″E');
  });
});

describe('typed coordinates', () => {
  const near = (text: string, lat: number, lon: number) => {
    const point = parseCoordinate(text);
    assert.ok(point, `${JSON.stringify(text)} should read`);
    assert.ok(Math.abs(point.lat - lat) < 1e-5 && Math.abs(point.lon - lon) < 1e-5, `${text} → ${point.lat}, ${point.lon}`);
  };
  test('decimal degrees, with or without hemispheres', () => {
    near('50.95, 1.85', 50.95, 1.85);
    near('50.95 1.85', 50.95, 1.85);
    near('-33.5, -70.25', -33.5, -70.25);
    near('50.95N 1.85E', 50.95, 1.85);
    near('1.85E 50.95N', 50.95, 1.85);
    near('50.95 S, 1.85 W', -50.95, -1.85);
    near('50,958, 1,853', 50.958, 1.853);
    near('50,958 N 1,853 E', 50.958, 1.853);
  });
  test('degrees and minutes, as the console shows them', () => {
    near('50°57.205′N 001°51.460′E', 50 + 57.205 / 60, 1 + 51.46 / 60);
    near('50 57.205 N 1 51.46 E', 50 + 57.205 / 60, 1 + 51.46 / 60);
  });
  test('degrees, minutes and seconds', () => {
    near('50°57′12.3″N 001°51′27.6″E', 50 + 57 / 60 + 12.3 / 3600, 1 + 51 / 60 + 27.6 / 3600);
    near('50°57\'12.3"N 1°51\'27.6"W', 50 + 57 / 60 + 12.3 / 3600, -(1 + 51 / 60 + 27.6 / 3600));
    near('50 57 12.3 1 51 27.6', 50 + 57 / 60 + 12.3 / 3600, 1 + 51 / 60 + 27.6 / 3600);
    // What the readout shows reads back to within its 0.1″ (3 m).
    const shown = parseCoordinate(formatDms(50.9581, 1.8525))!;
    assert.ok(distanceMeters(shown.lat, shown.lon, 50.9581, 1.8525) < 3);
  });
  test('MGRS', () => {
    const point = parseCoordinate('18S UJ 23487 06483')!;
    assert.ok(distanceMeters(point.lat, point.lon, 38.8895042212, -77.0351913258) < 0.05);
  });
  test('nonsense and out-of-range reads as nothing', () => {
    for (const text of ['', 'Calais', '95, 1', '50, 181', '50 61 0 N 1 0 0 E', '50.5 N 1.5 N', '1 2 3', '50.9x, 1.8'])
      assert.equal(parseCoordinate(text), null, text);
  });
});
