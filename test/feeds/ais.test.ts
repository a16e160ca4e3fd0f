// The AIS adapter against real captures decoded by others: every field of
// libais's JSON for the types Vigie decodes, TAG blocks, the pyais live
// sample without loss, and the bad input of issue 14.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { AisAssembler, type AssembledMessage } from '../../electron/core/feeds/ais/aisAssembler';
import { parseAisSentence } from '../../electron/core/feeds/ais/aisSentence';
import { aisToFeedMessages } from '../../electron/core/feeds/ais/aisToFeedMessages';
import { decodeAisMessage, type AisMessage } from '../../electron/core/feeds/ais/decodeAisMessage';
import { nmeaChecksum } from '../../electron/core/feeds/nmea/parseNmeaSentence';

const FIXTURES = path.join(__dirname, '../fixtures/feeds/ais');
const lines = (file: string) =>
  fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
const jsonLines = (file: string) => lines(file).map((line) => JSON.parse(line) as Record<string, unknown>);

/** Reads and assembles lines as the receiver does; returns the complete messages in completion order and what was refused. */
function assemble(input: string[], timeoutMs = 5000) {
  const assembler = new AisAssembler<string>(timeoutMs);
  const messages: AssembledMessage[] = [];
  const refused: { line: string; reason: string; detail: string }[] = [];
  for (const line of input) {
    const read = parseAisSentence(line);
    if (!read.ok) {
      refused.push({ line, reason: read.reason, detail: read.detail });
      continue;
    }
    const { message, abandoned } = assembler.push('test', read.sentence, line, 0, 'test');
    for (const parts of abandoned) refused.push({ line: parts.raw.join('\n'), reason: 'bad-sentence', detail: parts.detail });
    if (message) messages.push(message);
  }
  return { messages, refused, assembler };
}

/** libais's 6-bit text table differs from ITU-R M.1371 Table 47 in two places: 31 is '-' (ITU '_') and 39 is '`' (ITU '\''). */
const asLibais = (text: string) => text.replaceAll('_', '-').replaceAll("'", '`');

/** The libais JSON fields each decoded type must match, as [libais key, our value]. */
function expectedPairs(m: AisMessage): [string, unknown][] {
  const pairs: [string, unknown][] = [
    ['type', m.type],
    ['repeat', m.repeat],
    ['mmsi', m.mmsi],
  ];
  const dims = (d: { toBow: number; toStern: number; toPort: number; toStarboard: number }): [string, unknown][] => [
    ['to_bow', d.toBow],
    ['to_stern', d.toStern],
    ['to_port', d.toPort],
    ['to_starboard', d.toStarboard],
  ];
  if ('other' in m) return pairs;
  switch (m.type) {
    case 1:
    case 2:
    case 3:
      return [
        ...pairs,
        ['status', m.status],
        ['turn', m.turn],
        ['speed', m.speed],
        ['accuracy', m.accuracy],
        ['lon', m.lon],
        ['lat', m.lat],
        ['course', m.course],
        ['heading', m.heading],
        ['second', m.second],
        ['maneuver', m.maneuver],
        ['raim', m.raim],
      ];
    case 4:
    case 11: {
      const two = (n: number) => String(n).padStart(2, '0');
      return [
        ...pairs,
        ['timestamp', `${String(m.year).padStart(4, '0')}-${two(m.month)}-${two(m.day)}T${two(m.hour)}:${two(m.minute)}:${two(m.second)}Z`],
        ['accuracy', m.accuracy],
        ['lon', m.lon],
        ['lat', m.lat],
        ['epfd', m.epfd],
        ['raim', m.raim],
      ];
    }
    case 5:
      return [
        ...pairs,
        ['ais_version', m.aisVersion],
        ['imo', String(m.imo)],
        ['callsign', m.callsign],
        ['shipname', m.shipname],
        ['shiptype', m.shiptype],
        ...dims(m),
        ['epfd', m.epfd],
        ['draught', m.draught],
        ['destination', m.destination],
        ['dte', m.dte === undefined ? undefined : Number(m.dte)],
      ];
    case 18:
      return [
        ...pairs,
        ['speed', m.speed],
        ['accuracy', m.accuracy],
        ['lon', m.lon],
        ['lat', m.lat],
        ['course', m.course],
        ['heading', m.heading],
        ['second', m.second],
        // libais names the flags unit (CS unit), display, dsc, band, msg22, mode (assigned).
        ['unit', m.cs],
        ['display', m.display],
        ['dsc', m.dsc],
        ['band', m.band],
        ['msg22', m.msg22],
        ['mode', m.assigned],
        ['raim', m.raim],
      ];
    case 19:
      return [
        ...pairs,
        ['speed', m.speed],
        ['lon', m.lon],
        ['lat', m.lat],
        ['course', m.course],
        ['heading', m.heading],
        ['shipname', m.shipname],
        ['shiptype', m.shiptype],
        ...dims(m),
      ];
    case 21:
      return [
        ...pairs,
        ['aid_type', m.aidType],
        ['name', asLibais(m.name)],
        ['accuracy', m.accuracy],
        ['lon', m.lon],
        ['lat', m.lat],
        ...dims(m),
        ['epfd', m.epfd],
        ['second', m.second],
        ['off_position', m.offPosition],
        ['regional', m.regional],
        ['raim', m.raim],
        ['virtual_aid', m.virtualAid],
        ['assigned', m.assigned],
      ];
    case 24:
      return m.partNum === 0
        ? [...pairs, ['part_num', 0], ['shipname', m.shipname]]
        : [...pairs, ['part_num', 1], ['shiptype', m.shiptype], ['callsign', m.callsign], ...(m.dimensions ? dims(m.dimensions) : [])];
    case 27:
      return [
        ...pairs,
        ['accuracy', m.accuracy],
        ['raim', m.raim],
        ['status', m.status],
        ['lon', m.lon],
        ['lat', m.lat],
        ['speed', m.speed],
        ['course', m.course],
        ['gnss', m.gnss],
      ];
  }
}

/** libais keeps floats as float32: compare numbers to what float32 can hold. */
function same(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.abs(actual - expected) <= Math.max(1e-4, Math.abs(expected) * 1e-6);
  return actual === expected;
}

function compareWithLibais(decoded: AisMessage, oracle: Record<string, unknown>, where: string): number {
  let compared = 0;
  for (const [key, value] of expectedPairs(decoded)) {
    if (value === undefined && !(key in oracle)) continue;
    assert.ok(key in oracle, `${where}: libais has no ${key} for type ${decoded.type}`);
    assert.ok(same(value, oracle[key]), `${where} type ${decoded.type} ${key}: Vigie ${JSON.stringify(value)}, libais ${JSON.stringify(oracle[key])}`);
    compared += 1;
  }
  return compared;
}

const DECODED_TYPES = new Set([1, 2, 3, 4, 5, 11, 18, 19, 21, 24, 27]);

describe('AIS decoding against libais', () => {
  test('every libais type example: type, repeat and MMSI for all, every field of the types Vigie decodes', () => {
    const input = lines('libais-typeexamples.nmea');
    const oracle = jsonLines('libais-typeexamples.json');
    assert.equal(input.length, oracle.length);
    const { messages, refused } = assemble(input);
    assert.deepEqual(refused, [], 'receiver metadata after the checksum is tolerated');
    assert.equal(messages.length, input.length);
    let fields = 0;
    const typesSeen = new Set<number>();
    messages.forEach((message, index) => {
      const decoded = decodeAisMessage(message.payload, message.fill);
      typesSeen.add(decoded.type);
      assert.equal('other' in decoded, !DECODED_TYPES.has(decoded.type), `line ${index + 1}: type ${decoded.type}`);
      fields += compareWithLibais(decoded, oracle[index]!, `line ${index + 1}`);
    });
    for (const type of [1, 2, 3, 4, 5, 11, 18, 21, 24, 27]) assert.ok(typesSeen.has(type), `the examples hold a type ${type}`);
    assert.ok(fields >= 120, `compared ${fields} fields`);
  });

  test('TAG blocks: source, time and a two-part type 5 interleaved with other messages', () => {
    const { messages, refused } = assemble(lines('libais-tagblock.nmea'));
    const oracle = jsonLines('libais-tagblock.json');
    assert.deepEqual(refused, []);
    assert.equal(messages.length, oracle.length);
    messages.forEach((message, index) => {
      const decoded = decodeAisMessage(message.payload, message.fill);
      compareWithLibais(decoded, oracle[index]!, `message ${index + 1}`);
      assert.equal(message.first.tag?.source, oracle[index]!.tagblock_station);
      assert.equal(new Date(message.first.tag!.time!).toISOString().replace('.000Z', ''), String(oracle[index]!.tagblock_timestamp).replace('.000000Z', ''));
    });
    assert.equal(messages[1]!.raw.length, 2, 'the type 5 came in two sentences');
  });

  test('the pyais live sample decodes without loss', () => {
    const input = lines('pyais-nmea_data_sample.txt').filter((line) => line.startsWith('!') || line.startsWith('\\'));
    const { messages, refused, assembler } = assemble(input);
    // The receiver sent empty payloads now and then (`!AIVDM,1,1,,B,,0*25`): nothing to decode, refused as such.
    const empty = refused.filter((refusal) => refusal.detail === 'empty payload');
    // And this capture holds 20 first halves of two-part messages and not one second half (the sample was cut from a
    // longer stream): each is an orphan, given up when its id comes again or at the timeout — never decoded from half a message.
    const orphans = refused.filter((refusal) => /came again .* before the message was complete/.test(refusal.detail));
    assert.equal(empty.length + orphans.length, refused.length, refused.map((r) => r.detail).join('; '));
    const leftWaiting = assembler.expire(Number.MAX_SAFE_INTEGER).flatMap((parts) => parts.raw);
    const firstHalves = input.filter((line) => line.startsWith('!AIVDM,2,1,'));
    assert.equal(firstHalves.length, 20);
    assert.deepEqual([...orphans.map((r) => r.line), ...leftWaiting].sort(), [...firstHalves].sort());
    assert.equal(
      messages.reduce((sum, message) => sum + message.raw.length, 0) + empty.length + orphans.length + leftWaiting.length,
      input.length,
      'every sentence is in a complete message, or refused with its reason',
    );
    const types = new Map<number, number>();
    let mapped = 0;
    for (const message of messages) {
      const decoded = decodeAisMessage(message.payload, message.fill);
      types.set(decoded.type, (types.get(decoded.type) ?? 0) + 1);
      const parsed = aisToFeedMessages(decoded, 'AIS-1', 0, false);
      assert.ok(parsed.ok, `${message.raw.join(' ')}: ${!parsed.ok && parsed.detail}`);
      mapped += 1;
    }
    assert.equal(mapped, messages.length);
    for (const type of [1, 3, 4, 18, 24]) assert.ok((types.get(type) ?? 0) > 0, `the sample has type ${type}`);
    assert.ok(messages.length > 750, `${messages.length} messages`);
  });

  test('the mixed pyais file: AIS kept, everything else refused with a reason, nothing thrown', () => {
    const input = lines('pyais-mixed.txt').filter((line) => !line.startsWith('#'));
    const { messages, refused } = assemble(input);
    assert.ok(messages.length >= 9, `${messages.length} messages`);
    const reasons = new Set(refused.map((r) => r.reason));
    for (const r of refused) assert.ok(r.detail.length > 0);
    assert.ok(reasons.has('bad-sentence') && reasons.has('bad-checksum'), [...reasons].join());
    for (const message of messages) decodeAisMessage(message.payload, message.fill);
  });
});

function readOk(line: string) {
  const read = parseAisSentence(line);
  assert.ok(read.ok, line);
  return read.sentence;
}

/** A sentence with a correct checksum around any body. */
const sentence = (body: string) => `!${body}*${nmeaChecksum(body)}`;

describe('bad AIS input', () => {
  test('a bad checksum is refused', () => {
    const good = '!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30';
    assert.equal(parseAisSentence(good).ok, true);
    const bad = parseAisSentence(good.replace('*30', '*31'));
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.reason, 'bad-checksum');
    const flipped = parseAisSentence(good.replace('15N1u', '15N1v'));
    assert.equal(!flipped.ok && flipped.reason, 'bad-checksum');
    const tag = parseAisSentence('\\s:r1,c:1418169601*00\\' + good);
    assert.equal(!tag.ok && tag.reason, 'bad-checksum', 'the TAG block has its own checksum');
  });

  test('wrong fill bits are refused', () => {
    const tooMany = parseAisSentence(sentence('AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,6'));
    assert.equal(!tooMany.ok && tooMany.reason, 'bad-sentence');
    const notLast = parseAisSentence(sentence('AIVDM,2,1,3,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,2'));
    assert.equal(!notLast.ok && notLast.detail, 'fill bits 2 on sentence 1 of 2: only the last sentence may have fill bits');
    const letter = parseAisSentence(sentence('AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,x'));
    assert.equal(!letter.ok && letter.reason, 'bad-sentence');
  });

  test('an orphan fragment and a type 5 whose second part never comes are given up after the timeout', () => {
    const assembler = new AisAssembler<string>(5000);
    const part1 = '!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63';
    const orphan = sentence('AIVDM,2,2,7,B,00000000008,2');
    const first = assembler.push('src', readOk(part1), part1, 1000, 'src');
    const second = assembler.push('src', readOk(orphan), orphan, 1500, 'src');
    assert.equal(first.message, undefined);
    assert.equal(second.message, undefined, 'a part 2 does not complete another id');
    assert.deepEqual(assembler.expire(5999), []);
    const expired = assembler.expire(6500);
    assert.equal(expired.length, 2);
    assert.deepEqual(
      expired.map((parts) => parts.raw),
      [[part1], [orphan]],
    );
    assert.match(expired[0]!.detail, /sentence 2 of 2 never came within 5 s/);
    assert.equal(assembler.pending, 0);
  });

  test('MMSI 0 is refused; lat 91 / lon 181 is "not available", never a position; a position off the Earth is refused', () => {
    const mmsiZero = aisToFeedMessages(
      {
        type: 1,
        repeat: 0,
        mmsi: 0,
        status: 0,
        turn: 0,
        speed: 5,
        accuracy: false,
        lon: 1.6,
        lat: 50.9,
        course: 90,
        heading: 90,
        second: 1,
        maneuver: 0,
        raim: false,
      },
      'AIS-1',
      0,
      false,
    );
    assert.equal(!mmsiZero.ok && mmsiZero.reason, 'out-of-range');
    // The libais type 4 example: a base station with lat 91, lon 181.
    const base = decodeAisMessage('403Ovl@000Htt<tSF0l4Q@100`Pq', 0);
    const station = aisToFeedMessages(base, 'AIS-1', 0, false);
    assert.ok(station.ok);
    assert.deepEqual(station.messages, [{ type: 'ais-station', sensor: 'AIS-1', mmsi: 3669713, msg: 4, time: 0 }]);
    const notAvailable = aisToFeedMessages(
      {
        type: 1,
        repeat: 0,
        mmsi: 227000001,
        status: 0,
        turn: null,
        speed: 102.3,
        accuracy: false,
        lon: 181,
        lat: 91,
        course: 360,
        heading: 511,
        second: 60,
        maneuver: 0,
        raim: false,
      },
      'AIS-1',
      0,
      false,
    );
    assert.ok(notAvailable.ok);
    assert.deepEqual(notAvailable.messages, [{ type: 'ais-position', sensor: 'AIS-1', mmsi: 227000001, msg: 1, nav: 0, time: 0 }]);
    // The libais type 2 example is random bits with a latitude of -101.5°.
    const offEarth = aisToFeedMessages(decodeAisMessage('2T8Mur>pJNw77ks5q?7mdfhoOgMo', 0), 'AIS-1', 0, false);
    assert.equal(!offEarth.ok && offEarth.reason, 'out-of-range');
  });

  test('a payload too short for its type is refused, not decoded from missing bits', () => {
    assert.throws(() => decodeAisMessage('15N1u<PP1FJuv', 0), /too short/);
    assert.throws(() => decodeAisMessage('53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000', 0), /type 5 of 360 bits/);
  });
});
