import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonInbound } from '../../shared/feeds/jsonLines';
import { parseJsonLine } from '../../electron/core/feeds/jsonLines/parseJsonLine';
import { cotEvent, escapeXml, xmlElement } from '../../electron/simulator/encode/cot';
import { detectionLine, helloLine, optronicLine, unitAckLine, unitPositionLine } from '../../electron/simulator/encode/jsonLines';
import { encodeTll, encodeTtm, nmeaChecksum, nmeaLatitude, nmeaLongitude, nmeaSentence } from '../../electron/simulator/encode/nmea';
import { nmeaDegrees, parseNmea, xmlAttrs } from './helpers';

const T = Date.parse('2026-01-15T23:59:58.126Z');

describe('NMEA encoding', () => {
  test('checksum: the textbook GGA example', () => {
    assert.equal(nmeaChecksum('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,'), '47');
  });

  test('TTM: fields in order, CRLF, checksum, ≤ 82 characters, even for the longest values', () => {
    const line = encodeTtm(
      { number: 9999, distanceNm: 16.196, bearing: 359.96, speedKnots: 19.99, course: 0.04, cpaNm: 16.2, tcpaMinutes: -240.04, name: 'V123456', status: 'T' },
      T,
    );
    const s = parseNmea(line);
    assert.ok(s.checksumOk);
    assert.ok(line.length <= 82, `${line.length}`);
    assert.equal(s.talker + s.type, 'RATTM');
    assert.deepEqual(s.fields, ['9999', '16.20', '360.0', 'T', '20.0', '0.0', 'T', '16.20', '-240.0', 'N', 'V123456', 'T', '', '235958.12', 'A']);
  });

  test('TLL: position to 1/10000 minute, hemispheres', () => {
    const line = encodeTll({ number: 7, lat: 50.97123, lon: 1.84567, name: 'SB3', status: 'T' }, T);
    const s = parseNmea(line);
    assert.ok(s.checksumOk);
    assert.equal(s.fields[0], '07');
    assert.ok(Math.abs(nmeaDegrees(s.fields[1]!, s.fields[2]!, 2) - 50.97123) < 1e-6);
    assert.ok(Math.abs(nmeaDegrees(s.fields[3]!, s.fields[4]!, 3) - 1.84567) < 1e-6);
    assert.deepEqual(s.fields.slice(5), ['SB3', '235958.12', 'T', '']);
    assert.deepEqual(nmeaLatitude(-33.5), ['3330.0000', 'S']);
    assert.deepEqual(nmeaLongitude(-0.999999999), ['00100.0000', 'W']);
  });

  test('refuses reserved characters and over-long sentences', () => {
    assert.throws(() => nmeaSentence(['RATTM', 'a*b']), /reserved/);
    assert.throws(() => nmeaSentence(['RATTM', 'a,b']), /reserved/);
    assert.throws(() => nmeaSentence(['RATTM', 'é']), /reserved/);
    assert.throws(() => nmeaSentence(['RATTM', 'x'.repeat(80)]), /over 82/);
  });
});

describe('CoT encoding', () => {
  test('everything is escaped', () => {
    assert.equal(escapeXml(`<a href="x">&'\u0001`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    const xml = cotEvent({
      uid: 'U<1>',
      type: 'a-f-G-U-C',
      time: T,
      staleSeconds: 60,
      how: 'm-g',
      point: { lat: 50.9, lon: 1.8 },
      detail: [xmlElement('contact', { callsign: 'O"PALE & <01>' }), xmlElement('remarks', {}, escapeXml('a < b'))],
    });
    assert.equal(xmlAttrs(xml, 'event')!.uid, 'U<1>');
    assert.equal(xmlAttrs(xml, 'contact')!.callsign, 'O"PALE & <01>');
    assert.equal(xmlAttrs(xml, 'event')!.stale, '2026-01-16T00:00:58.126Z');
    assert.deepEqual(xmlAttrs(xml, 'point'), { lat: '50.9', lon: '1.8', hae: '0', ce: '9999999', le: '9999999' });
    assert.match(xml, /<remarks>a &lt; b<\/remarks><\/detail><\/event>$/);
    // event, point, detail, contact, remarks and their closing tags: no stray markup from the values.
    assert.equal((xml.match(/</g) ?? []).length, 8);
  });
});

describe('JSON lines', () => {
  test('every encoder yields one line the core accepts', () => {
    const lines = [
      helloLine({ unit: 'U01' }),
      detectionLine(
        { sensor: 'CAM-WISSANT', detection: 'CAM-WISSANT-L1-group', kind: 'group-on-beach', lat: 50.88, lon: 1.66, confidence: 0.8123, count: 42 },
        T,
      ),
      optronicLine(
        {
          sensor: 'OPT-GRISNEZ',
          report: 'OPT-GRISNEZ-L1-1',
          kind: 'boat-launch',
          observer: { lat: 50.87, lon: 1.587 },
          bearing: 359.97,
          range: 0.2,
          confidence: 0.9,
        },
        T,
      ),
      unitPositionLine({ unit: 'U01', lat: 51.07, lon: 2.49, heading: 359.97, speed: 12.34 }, T),
      unitAckLine({ unit: 'U01', assignment: 'A-1', status: 'en-route' }, T),
    ];
    for (const line of lines) {
      assert.ok(line.endsWith('\n') && line.indexOf('\n') === line.length - 1);
      assert.ok(JsonInbound.safeParse(JSON.parse(line)).success, line);
      assert.ok(parseJsonLine(line.trimEnd(), T).ok, line);
    }
    const optronic = JSON.parse(lines[2]!) as { range: number; bearing: number };
    assert.equal(optronic.range, 1);
    const position = JSON.parse(lines[3]!) as { heading: number; time: string };
    assert.equal(position.heading, 0);
    assert.equal(position.time, '2026-01-15T23:59:58.126Z');
  });
});
