// What tools/build.mjs bundles, as esbuild options: shared with
// test/tools/thirdPartyNotices.test.ts, which reads the same bundles'
// metafiles to check that every shipped package has its licence notice.
//   dist/cli/vigie.cjs        the core and the `vigie` command (plain Node)
//   dist/electron/main.cjs   Electron main process (thin shell)
//   dist/cli/parseWorker.cjs  the feed parse worker thread, beside the core (the shell runs the core from dist/cli)
//   dist/electron/preload.cjs sandboxed preload (one file: sandboxed preloads cannot require local modules)
//   dist/electron/settingsPreload.cjs the Settings window's sandboxed preload
//   dist/settings/           the Settings window's page, served by the shell on vigie://settings/ (not by the core)
//   dist/renderer/           the React app served by the core (index.html and icon.svg copied as they are)
//   dist/centre/             the regional centre's console, served by `vigie centre` (index.html and icon.svg copied)
import path from 'node:path';

/** Native addon, optional ws accelerators and Electron itself stay in node_modules (electron-builder packs them). */
export const EXTERNAL_PACKAGES = ['better-sqlite3', 'bufferutil', 'utf-8-validate', 'electron'];

export function bundleOptions(root, dist) {
  const nodeCommon = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
    external: EXTERNAL_PACKAGES,
  };
  return [
    { ...nodeCommon, entryPoints: [path.join(root, 'electron/cli/vigie.ts')], outfile: path.join(dist, 'cli/vigie.cjs') },
    { ...nodeCommon, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: path.join(dist, 'electron/main.cjs') },
    // The feed parse worker thread, beside the core's bundle (electron/core/feeds/parseWorker/parsePool.ts looks there).
    { ...nodeCommon, entryPoints: [path.join(root, 'electron/core/feeds/parseWorker/parseWorker.ts')], outfile: path.join(dist, 'cli/parseWorker.cjs') },
    { ...nodeCommon, entryPoints: [path.join(root, 'electron/main/preload.ts')], outfile: path.join(dist, 'electron/preload.cjs') },
    { ...nodeCommon, entryPoints: [path.join(root, 'electron/main/settingsPreload.ts')], outfile: path.join(dist, 'electron/settingsPreload.cjs') },
    {
      // A classic script (IIFE), not a module: the custom scheme then needs no CORS privileges.
      entryPoints: { settings: path.join(root, 'renderer/settings/settings.tsx') },
      outdir: path.join(dist, 'settings'),
      bundle: true,
      platform: 'browser',
      target: ['chrome120'],
      format: 'iife',
      minify: !process.env.VIGIE_NO_MINIFY,
      sourcemap: true,
      logLevel: 'warning',
      metafile: true,
      define: { 'process.env.NODE_ENV': '"production"' },
    },
    {
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
      metafile: true,
      loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file', '.ogg': 'file' },
      assetNames: 'media/[name]-[hash]',
      define: { 'process.env.NODE_ENV': '"production"' },
    },
    {
      entryPoints: { centre: path.join(root, 'renderer/centre/main.tsx') },
      outdir: path.join(dist, 'centre'),
      bundle: true,
      platform: 'browser',
      target: ['chrome120'],
      format: 'esm',
      minify: !process.env.VIGIE_NO_MINIFY,
      sourcemap: true,
      logLevel: 'warning',
      metafile: true,
      loader: { '.png': 'file', '.svg': 'file' },
      assetNames: 'media/[name]-[hash]',
      define: { 'process.env.NODE_ENV': '"production"' },
    },
  ];
}
