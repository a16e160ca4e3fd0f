import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { defaultSiteFile } from '../../electron/core/paths';
import { SiteFileError, parseSite, readSite } from '../../electron/core/site/siteConfig';

const shipped = fs.readFileSync(defaultSiteFile, 'utf8');

// The mutations poke at arbitrary fields of a parsed JSON document.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

function variant(mutate: (site: Loose) => void): string {
  const site = JSON.parse(shipped) as Loose;
  mutate(site);
  return JSON.stringify(site, null, 2);
}

describe('site file', () => {
  test('the shipped demo post is valid and complete', () => {
    const site = readSite(defaultSiteFile);
    assert.ok(site.sensors.filter((s) => s.kind === 'radar').length >= 2);
    assert.ok(site.sensors.some((s) => s.kind === 'camera'));
    assert.equal(site.sensors.filter((s) => s.kind === 'drone').length, 2);
    assert.ok(site.sensors.some((s) => s.kind === 'optronic'));
    assert.ok(site.units.length >= 20 && site.units.length <= 30);
    assert.deepEqual(new Set(site.units.map((u) => u.type)), new Set(['foot', '4x4', 'quad', 'boat', 'drone-team', 'dog-team']));
  });

  test('a syntax error names its line and column', () => {
    const broken = shipped.replace('"version": 1,', '"version": 1,,');
    assert.throws(
      () => parseSite(broken, 'site.json'),
      (error: unknown) => error instanceof SiteFileError && /site\.json: line 2, column \d+/.test(error.message),
    );
  });

  test('a content error names the field', () => {
    assert.throws(
      () =>
        parseSite(
          variant((s) => (s.sensors[4].fieldOfView = -5)),
          'site.json',
        ),
      /sensors\.4\.fieldOfView/,
    );
    assert.throws(
      () =>
        parseSite(
          variant((s) => (s.units[0].type = 'helicopter')),
          'site.json',
        ),
      /units\.0\.type/,
    );
    assert.throws(
      () =>
        parseSite(
          variant((s) => (s.sensors[0].radarColour = 'red')),
          'site.json',
        ),
      /radarColour/,
    );
    assert.throws(
      () =>
        parseSite(
          variant((s) => (s.units[1].id = s.units[0].id)),
          'site.json',
        ),
      /units\.1\.id: duplicate id/,
    );
    assert.throws(
      () =>
        parseSite(
          variant((s) => (s.listeners.nmea[0].sensor = 'CAM-WISSANT')),
          'site.json',
        ),
      /listeners\.nmea\.0\.sensor: CAM-WISSANT is not a radar/,
    );
    assert.throws(() => readSite('/nonexistent/site.json'), /ENOENT/);
  });
});
