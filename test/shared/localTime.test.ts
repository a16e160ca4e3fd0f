// Local times around the clock changes, pinned to Europe/Paris (the console
// shows and reads times in the machine's time zone, as the browser reports
// it: Date and Intl without a timeZone). The last Sunday of March skips
// 02:00–03:00 (UTC+1 → UTC+2); the last Sunday of October repeats it
// (UTC+2, then UTC+1). docs/console.md, "Times and the clock changes".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLocal, parseLocal } from '../../renderer/figures/figuresFormat';
import { translatorFor } from '../../renderer/i18n/translate';

process.env.TZ = 'Europe/Paris';

const MINUTE = 60_000;
/** 2026-10-25 00:30 UTC = 02:30 UTC+2, the first 02:30 of the night; an hour later, the second. */
const FIRST_0230 = Date.UTC(2026, 9, 25, 0, 30);
const SECOND_0230 = Date.UTC(2026, 9, 25, 1, 30);

describe('shown times carry their UTC offset where it matters (Europe/Paris)', () => {
  test('replay dates and times always carry it: the two 02:30 of the October night differ', () => {
    for (const language of ['en', 'fr'] as const) {
      const t = translatorFor(language);
      assert.equal(t.dateTime(FIRST_0230), '2026-10-25 02:30:00 UTC+2');
      assert.equal(t.dateTime(SECOND_0230), '2026-10-25 02:30:00 UTC+1');
      assert.equal(t.dateTime(Date.UTC(2026, 10, 26, 22, 41, 3)), '2026-11-26 23:41:03 UTC+1');
      assert.equal(t.zonedTime(FIRST_0230), '02:30:00 UTC+2');
      assert.equal(t.zonedTime(Date.UTC(2026, 6, 14, 20, 0)), '22:00:00 UTC+2');
    }
  });

  test('a plain time carries it only in the repeated hour', () => {
    const t = translatorFor('en');
    assert.equal(t.time(FIRST_0230), '02:30:00 UTC+2');
    assert.equal(t.time(SECOND_0230), '02:30:00 UTC+1');
    assert.equal(t.time(Date.UTC(2026, 9, 24, 23, 59, 59)), '01:59:59');
    assert.equal(t.time(Date.UTC(2026, 9, 25, 0, 0)), '02:00:00 UTC+2');
    assert.equal(t.time(Date.UTC(2026, 9, 25, 1, 59, 59)), '02:59:59 UTC+1');
    assert.equal(t.time(Date.UTC(2026, 9, 25, 2, 0)), '03:00:00');
    assert.equal(t.time(Date.UTC(2026, 10, 26, 22, 41, 3)), '23:41:03');
    // The spring-forward night repeats nothing.
    assert.equal(t.time(Date.UTC(2026, 2, 29, 0, 59)), '01:59:00');
    assert.equal(t.time(Date.UTC(2026, 2, 29, 1, 0)), '03:00:00');
  });

  test('the figures period: fields name the offset in the repeated hour; the range always does', () => {
    assert.equal(formatLocal(FIRST_0230), '2026-10-25 02:30 UTC+2');
    assert.equal(formatLocal(SECOND_0230), '2026-10-25 02:30 UTC+1');
    assert.equal(formatLocal(Date.UTC(2026, 10, 26, 19, 0)), '2026-11-26 20:00');
    assert.equal(formatLocal(Date.UTC(2026, 10, 26, 19, 0), 'always'), '2026-11-26 20:00 UTC+1');
    assert.equal(formatLocal(Date.UTC(2026, 6, 14, 20, 0), 'always'), '2026-07-14 22:00 UTC+2');
  });
});

describe('typed local times (Europe/Paris)', () => {
  test('a time in the hour the clocks skip is refused, never shifted', () => {
    const skipped = { problem: 'skipped', text: '2026-03-29 02:30', start: '02:00', end: '03:00', before: 'UTC+1', after: 'UTC+2' };
    assert.deepEqual(parseLocal('2026-03-29 02:30'), skipped);
    assert.deepEqual(parseLocal('2026-03-29T02:30'), skipped);
    assert.deepEqual(parseLocal('2026-03-29 02:30 UTC+1'), skipped);
    assert.equal((parseLocal('2026-03-29 02:00') as { problem: string }).problem, 'skipped');
    assert.equal((parseLocal('2026-03-29 02:59') as { problem: string }).problem, 'skipped');
    assert.deepEqual(parseLocal('2026-03-29 01:59'), { time: Date.UTC(2026, 2, 29, 0, 59) });
    assert.deepEqual(parseLocal('2026-03-29 03:00'), { time: Date.UTC(2026, 2, 29, 1, 0) });
  });

  test('a time in the repeated hour needs its offset, and gets the moment it names', () => {
    assert.deepEqual(parseLocal('2026-10-25 02:30'), { problem: 'repeated', text: '2026-10-25 02:30', first: 'UTC+2', second: 'UTC+1' });
    for (const [text, time] of [
      ['2026-10-25 02:30 UTC+2', FIRST_0230],
      ['2026-10-25 02:30 UTC+1', SECOND_0230],
      ['2026-10-25 02:30 utc+02:00', FIRST_0230],
      ['2026-10-25 02:30+01:00', SECOND_0230],
      ['2026-10-25 02:30 +0100', SECOND_0230],
      ['2026-10-25T02:30 GMT+1', SECOND_0230],
    ] as const) {
      assert.deepEqual(parseLocal(text), { time }, text);
    }
    // Either side of the repeated hour is plain.
    assert.deepEqual(parseLocal('2026-10-25 01:59'), { time: Date.UTC(2026, 9, 24, 23, 59) });
    assert.deepEqual(parseLocal('2026-10-25 03:00'), { time: Date.UTC(2026, 9, 25, 2, 0) });
  });

  test('an offset that is not the local one is refused, not converted', () => {
    assert.deepEqual(parseLocal('2026-10-25 02:30 UTC+3'), { problem: 'wrong-offset', text: '2026-10-25 02:30', typed: 'UTC+3', actual: 'UTC+2 / UTC+1' });
    assert.deepEqual(parseLocal('2026-07-01 12:00 UTC+1'), { problem: 'wrong-offset', text: '2026-07-01 12:00', typed: 'UTC+1', actual: 'UTC+2' });
    assert.deepEqual(parseLocal('2026-07-01 12:00 UTC+2'), { time: Date.UTC(2026, 6, 1, 10, 0) });
    assert.deepEqual(parseLocal('2026-12-01 12:00 Z'), { problem: 'wrong-offset', text: '2026-12-01 12:00', typed: 'UTC', actual: 'UTC+1' });
  });

  test('what is not a date and time is unreadable', () => {
    for (const text of ['2026-02-30 10:00', '2026-02-28 25:00', '2026-02-28 10:60', '28/02/2026 10:00', '2026-02-28 10:00 UTC+', '2026-02-28 10:005', '']) {
      assert.deepEqual(parseLocal(text), { problem: 'unreadable' }, text);
    }
  });

  test('what the console writes in a field reads back as the same moment, minute by minute across both nights', () => {
    for (const night of [Date.UTC(2026, 2, 28, 22, 0), Date.UTC(2026, 9, 24, 22, 0)]) {
      for (let time = night; time < night + 6 * 60 * MINUTE; time += MINUTE) {
        assert.deepEqual(parseLocal(formatLocal(time)), { time }, formatLocal(time));
        assert.deepEqual(parseLocal(formatLocal(time, 'always')), { time }, formatLocal(time, 'always'));
      }
    }
  });
});
