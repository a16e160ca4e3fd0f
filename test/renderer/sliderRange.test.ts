// The replay sliders reach the shift's end, whatever its length in seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SLIDER_STEP_MS, sliderMax } from '../../renderer/replay/sliderRange';

test('the top step is at or past the end, never more than a step past it', () => {
  const from = 1_796_530_700_311;
  for (const length of [0, 1, 373, 999, 1000, 1001, 59_999, 3_600_000]) {
    const max = sliderMax(from, from + length);
    assert.ok(max >= from + length, `length ${length}`);
    assert.ok(max - (from + length) < SLIDER_STEP_MS, `length ${length}`);
    assert.equal((max - from) % SLIDER_STEP_MS, 0, `length ${length}: on the step grid`);
  }
  // A shift of 373 ms: one step up, so End moves past its start to its end.
  assert.equal(sliderMax(from, from + 373), from + SLIDER_STEP_MS);
});
