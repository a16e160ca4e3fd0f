// The licence notices (tools/thirdPartyNotices.mjs): every package the app's
// bundles contain — read from esbuild's metafiles of the very bundles
// tools/build.mjs makes — and every package shipped beside them has its
// licence text; a package without one is named, so the build stops.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { build } from 'esbuild';
import { bundleOptions } from '../../tools/bundles.mjs';
import { bundledPackages, collectNotices, noticesText, shippedPackages } from '../../tools/thirdPartyNotices.mjs';
import { tempDataDir } from '../helpers';

const root = path.resolve(__dirname, '../..');

describe('third-party licence notices', () => {
  test('every package shipped in the app has its licence text', async () => {
    const scratch = tempDataDir();
    const metafiles = await Promise.all(
      bundleOptions(root, scratch).map(async (options) => (await build({ ...options, write: false, sourcemap: false, logLevel: 'silent' })).metafile!),
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const shipped = shippedPackages(root, manifest, metafiles);
    // What the console and the core are made of must be among them (the metafiles are really read).
    for (const name of ['react', 'react-dom', 'leaflet', 'react-leaflet', '@react-leaflet/core', 'zustand', 'zod', 'ws', 'better-sqlite3', 'electron'])
      assert.ok(shipped.has(name), `${name} is shipped`);
    const { notices, missing } = collectNotices(root, shipped);
    assert.deepEqual(missing, [], `shipped packages without a licence notice: ${missing.map((m) => `${m.name} (${m.reason})`).join(', ')}`);
    assert.equal(notices.length, shipped.size);
    const byName = new Map(notices.map((notice) => [notice.name, notice]));
    // react-leaflet is under the Hippocratic License 2.1, whose notice must travel with it; Leaflet's BSD-2 too.
    for (const name of ['react-leaflet', '@react-leaflet/core']) {
      assert.equal(byName.get(name)!.license, 'Hippocratic-2.1');
      assert.match(byName.get(name)!.text, /Hippocratic License Version Number: 2\.1/);
    }
    assert.equal(byName.get('leaflet')!.license, 'BSD-2-Clause');
    assert.match(byName.get('leaflet')!.text, /Redistribution and use in source and binary forms/);
    const text = noticesText(notices);
    for (const notice of notices) assert.ok(text.includes(`${notice.name} ${notice.version} — ${notice.license}`));
  });

  test('a bundled package without a licence file is named as missing', () => {
    const project = tempDataDir();
    const write = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      fs.writeFileSync(path.join(project, file), content);
    };
    write('node_modules/with-licence/package.json', JSON.stringify({ name: 'with-licence', version: '1.0.0', license: 'MIT' }));
    write('node_modules/with-licence/LICENSE', 'MIT License\n\nCopyright (c) someone');
    write('node_modules/@scope/no-licence/package.json', JSON.stringify({ name: '@scope/no-licence', version: '2.0.0', license: 'MIT' }));
    write('node_modules/no-licence-field/package.json', JSON.stringify({ name: 'no-licence-field', version: '3.0.0' }));
    write('node_modules/no-licence-field/LICENSE', 'text');
    const metafile = {
      inputs: {
        'node_modules/with-licence/index.js': { bytes: 1, imports: [] },
        'node_modules/@scope/no-licence/lib/index.js': { bytes: 1, imports: [] },
        'node_modules/no-licence-field/index.js': { bytes: 1, imports: [] },
        'src/own.ts': { bytes: 1, imports: [] },
      },
      outputs: {},
    };
    const names = bundledPackages([metafile]);
    assert.deepEqual([...names].sort(), ['@scope/no-licence', 'no-licence-field', 'with-licence']);
    const { notices, missing } = collectNotices(project, names);
    assert.deepEqual(
      notices.map((notice) => notice.name),
      ['with-licence'],
    );
    assert.deepEqual(missing, [
      { name: '@scope/no-licence', reason: 'no LICENSE/LICENCE/COPYING file in node_modules/@scope/no-licence' },
      { name: 'no-licence-field', reason: 'its package.json names no licence' },
    ]);
  });
});
