// MIL-STD-2525 frames for CoT atoms: every affiliation CoT has maps to one of
// the four frames and colours, each dimension to its shape; marker colours
// from ATAK's signed ARGB.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AFFILIATION_FILL, affiliationOf, argbToCss, dimensionOf, frameSvg } from '../../renderer/devices/milFrames';

describe('MIL-STD-2525 frames', () => {
  test('affiliations: friend, hostile (suspect, joker, faker too), neutral, unknown (pending, none too)', () => {
    const of = (letter: string) => affiliationOf(`a-${letter}-G`);
    assert.deepEqual(['f', 'a', 'h', 's', 'j', 'k', 'n', 'u', 'p', 'o'].map(of), [
      'friend',
      'friend',
      'hostile',
      'hostile',
      'hostile',
      'hostile',
      'neutral',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  test('dimensions and the drawn frame', () => {
    assert.deepEqual(['a-h-G-U-C', 'a-u-S', 'a-u-A-M-F', 'a-n-U', 'a-f'].map(dimensionOf), ['ground', 'sea', 'air', 'subsurface', 'other']);
    const hostileGround = frameSvg('a-h-G', false);
    assert.match(hostileGround, new RegExp(`fill="${AFFILIATION_FILL.hostile}"`));
    assert.match(hostileGround, /data-affiliation="hostile" data-dimension="ground"/);
    // Air frames are open at the bottom: a different path from the ground one; stale is drawn faint.
    assert.notEqual(/ d="([^"]+)"/.exec(frameSvg('a-h-A', false))![1], /ground/.test(hostileGround) ? / d="([^"]+)"/.exec(hostileGround)![1] : '');
    assert.match(frameSvg('a-u-G', true), /opacity="0.4"/);
  });

  test('ATAK colours: signed 32-bit ARGB', () => {
    assert.equal(argbToCss(-256), '#ffff00');
    assert.equal(argbToCss(-1), '#ffffff');
    assert.equal(argbToCss(-35072), '#ff7700');
    assert.equal(argbToCss(-8454144), '#7f0000');
    assert.equal(argbToCss(null), '#ffffff');
  });
});
