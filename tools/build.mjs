// Builds every runnable piece with esbuild into dist/:
//   dist/cli/vigie.cjs        the core and the `vigie` command (plain Node)
//   dist/electron/main.cjs   Electron main process (thin shell)
//   dist/electron/preload.cjs sandboxed preload (one file: sandboxed preloads cannot require local modules)
//   dist/renderer/           the React app served by the core (index.html and icon.svg copied as they are)
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const quiet = process.argv.includes('--quiet');
const started = performance.now();

await rm(dist, { recursive: true, force: true });

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Native addon and optional ws accelerators stay in node_modules.
  external: ['better-sqlite3', 'bufferutil', 'utf-8-validate', 'electron'],
};

await Promise.all([
  build({ ...nodeCommon, entryPoints: [path.join(root, 'electron/cli/vigie.ts')], outfile: path.join(dist, 'cli/vigie.cjs') }),
  build({ ...nodeCommon, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: path.join(dist, 'electron/main.cjs') }),
  build({ ...nodeCommon, entryPoints: [path.join(root, 'electron/main/preload.ts')], outfile: path.join(dist, 'electron/preload.cjs') }),
  build({
    entryPoints: { app: path.join(root, 'renderer/main.tsx') },
    outdir: path.join(dist, 'renderer'),
    bundle: true,
    platform: 'browser',
    target: ['chrome120'],
    format: 'esm',
    // VIGIE_NO_MINIFY=1: readable names in a Chromium profile.
    minify: !process.env.VIGIE_NO_MINIFY,
    sourcemap: true,
    logLevel: 'warning',
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file', '.ogg': 'file' },
    assetNames: 'media/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
]);
await mkdir(path.join(dist, 'renderer'), { recursive: true });
await copyFile(path.join(root, 'renderer/index.html'), path.join(dist, 'renderer/index.html'));
await copyFile(path.join(root, 'renderer/icon.svg'), path.join(dist, 'renderer/icon.svg'));

if (!quiet) console.error(`built dist/ in ${Math.round(performance.now() - started)} ms`);
