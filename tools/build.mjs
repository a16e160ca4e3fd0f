// Builds every runnable piece with esbuild into dist/ (the bundles are listed
// in tools/bundles.mjs), then the third-party licence notices of everything
// the bundles and the package ship (tools/thirdPartyNotices.mjs):
//   dist/renderer/third-party-notices.json  read by the console's About dialog
//   dist/THIRD_PARTY_NOTICES.txt           shipped beside the packaged app (electron-builder.yml)
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { bundleOptions } from './bundles.mjs';
import { shippedPackages, collectNotices, noticesText } from './thirdPartyNotices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const quiet = process.argv.includes('--quiet');
const started = performance.now();

await rm(dist, { recursive: true, force: true });

const results = await Promise.all(bundleOptions(root, dist).map((options) => build(options)));
await mkdir(path.join(dist, 'renderer'), { recursive: true });
await copyFile(path.join(root, 'renderer/index.html'), path.join(dist, 'renderer/index.html'));
await copyFile(path.join(root, 'renderer/icon.svg'), path.join(dist, 'renderer/icon.svg'));
await copyFile(path.join(root, 'renderer/settings/index.html'), path.join(dist, 'settings/index.html'));
await copyFile(path.join(root, 'renderer/centre/index.html'), path.join(dist, 'centre/index.html'));
await copyFile(path.join(root, 'renderer/icon.svg'), path.join(dist, 'centre/icon.svg'));

const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const { notices, missing } = collectNotices(
  root,
  shippedPackages(
    root,
    manifest,
    results.map((result) => result.metafile),
  ),
);
if (missing.length > 0) {
  throw new Error(`no licence notice for shipped packages:\n${missing.map((m) => `  ${m.name}: ${m.reason}`).join('\n')}`);
}
await writeFile(path.join(dist, 'renderer/third-party-notices.json'), JSON.stringify({ notices }));
await writeFile(path.join(dist, 'THIRD_PARTY_NOTICES.txt'), noticesText(notices));

if (!quiet) console.error(`built dist/ in ${Math.round(performance.now() - started)} ms (${notices.length} third-party notices)`);
