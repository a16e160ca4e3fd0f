// The hand-written checks of the ingest hot path (isPlainTrack, plainTrackLine)
// against the schemas they stand in for: on many variants of a track, good and
// bad, each either agrees with the schema's output or defers to it — never
// accepts what the schema refuses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FeedMessage, isPlainTrack } from '../../electron/core/feeds/feedMessage';
import { checkMessages } from '../../electron/core/feeds/parseWorker/frameParsing';
import { parseJsonLine } from '../../electron/core/feeds/jsonLines/parseJsonLine';
import { JsonInbound, plainTrackLine } from '../../shared/feeds/jsonLines';

/** Members left undefined say nothing (JSON drops them, the code reads them as absent). */
function defined(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}

/** Replacement values for each member: good ones, edge ones, wrong ones. */
const VARIANTS: Record<string, unknown[]> = {
  type: ['track', 'detection', 'TRACK', 1],
  sensor: ['RAD-GRISNEZ', 'R', '', '-bad', 'x'.repeat(64), 'x'.repeat(65), 'a b', 7, null],
  track: ['T42', 'RAD-GRISNEZ:T42', '', 'x'.repeat(65), 'x'.repeat(129), 'x'.repeat(130), ':x', 42],
  lat: [50.8, -90, 90, 90.0001, -91, Number.NaN, Number.POSITIVE_INFINITY, '50.8', null, -0],
  lon: [1.5, -180, 180, 180.5, Number.NEGATIVE_INFINITY, '1', null],
  course: [undefined, 0, 360, 360.5, -1, Number.NaN, '90', null],
  speed: [undefined, 0, 100, 100.1, -0.1, null, '5'],
  cls: ['vessel', 'small-boat', 'unknown', 'ship', undefined, null],
  lost: [undefined, true, false, 1, 'true', null],
  time: [1_795_000_000_000, 1.5, 2 ** 53, Number.NaN, '1', undefined],
  stale: [undefined, 1_795_000_060_000, 0.5, null],
  extra: [undefined, 1, 'x'],
};

const BASE = {
  type: 'track',
  sensor: 'RAD-GRISNEZ',
  track: 'RAD-GRISNEZ:T42',
  lat: 50.8,
  lon: 1.5,
  course: 90,
  speed: 12.5,
  cls: 'vessel',
  time: 1_795_000_000_000,
};

describe('hot-path checks', () => {
  test('isPlainTrack accepts only what FeedMessage accepts, as FeedMessage returns it', () => {
    let plain = 0;
    let deferred = 0;
    for (const [key, values] of Object.entries(VARIANTS)) {
      for (const value of values) {
        const candidate: Record<string, unknown> = { ...BASE };
        if (value === undefined) delete candidate[key];
        else candidate[key] = value;
        const schema = FeedMessage.safeParse(candidate);
        if (isPlainTrack(candidate)) {
          plain += 1;
          assert.ok(schema.success, `${key}=${String(value)}: accepted by hand, refused by the schema`);
          assert.deepEqual(defined(candidate), defined(schema.data), `${key}=${String(value)}`);
        } else deferred += 1;
        // What checkMessages answers is the schema's verdict either way, refusals word for word.
        const [checked] = checkMessages([candidate]);
        assert.equal('data' in checked!, schema.success, `${key}=${String(value)}`);
        if (!schema.success) assert.ok('issue' in checked! && checked.issue.length > 0);
      }
    }
    assert.ok(plain > 10 && deferred > 10, `${plain} plain, ${deferred} deferred`);
    // Not a plain object: the schema decides.
    assert.equal(isPlainTrack(Object.assign(Object.create({ extra: 1 }) as object, BASE)), false);
  });

  test('plainTrackLine agrees with JsonInbound, and parseJsonLine refuses bad lines with the schema words', () => {
    const base = { v: 1, type: 'track', sensor: 'RAD-GRISNEZ', track: 'T42', lat: 50.8, lon: 1.5, course: 90, speed: 12.5, class: 'vessel' };
    const variants: Record<string, unknown[]> = {
      ...VARIANTS,
      v: [1, 2, '1', undefined],
      class: ['vessel', 'small-boat', 'unknown', 'ship', undefined, null],
      time: [undefined, '2026-12-06T03:00:00Z', 'yesterday'],
      stale: [undefined, '2026-12-06T03:00:00Z', 'soon'],
      n: [undefined, 3],
      mac: [undefined, 'f'.repeat(32)],
    };
    delete variants.cls;
    let plain = 0;
    for (const [key, values] of Object.entries(variants)) {
      for (const value of values) {
        const line: Record<string, unknown> = { ...base };
        if (value === undefined) delete line[key];
        else line[key] = value;
        // What reaches the checks is what JSON carries.
        const text = JSON.stringify(line);
        const parsedLine = JSON.parse(text) as Record<string, unknown>;
        const schema = JsonInbound.safeParse(parsedLine);
        const hand = plainTrackLine(parsedLine);
        if (hand) {
          plain += 1;
          assert.ok(schema.success, `${key}=${String(value)}: accepted by hand, refused by the schema`);
          assert.deepEqual(defined(hand), defined(schema.data), `${key}=${String(value)}`);
        }
        const result = parseJsonLine(text, 1_795_000_000_000);
        if (parsedLine.v === 1) assert.equal(result.ok, schema.success, `${key}=${String(value)}`);
        if (!result.ok && result.reason !== 'wrong-version') {
          assert.ok(!schema.success);
          assert.ok(result.detail.length > 0);
        }
      }
    }
    assert.ok(plain > 10, `${plain} plain`);
    // A member JSON gives as __proto__ is a member like any other: the schema refuses it.
    const proto = parseJsonLine('{"v":1,"type":"track","sensor":"RAD-GRISNEZ","track":"T1","lat":50,"lon":1,"__proto__":{}}', 1);
    assert.equal(
      proto.ok,
      JsonInbound.safeParse(JSON.parse('{"v":1,"type":"track","sensor":"RAD-GRISNEZ","track":"T1","lat":50,"lon":1,"__proto__":{}}')).success,
    );
  });
});
