// better-sqlite3 is a native addon: the copy in node_modules is compiled for
// plain Node (tests, `vigie serve`). The core inside Electron's utilityProcess
// needs one compiled for Electron's ABI. Rather than rebuilding node_modules in
// place (which would break the Node side), `npm start` builds a second copy
// under tools/.cache/ once per Electron version and hands its path to the core
// through VIGIE_SQLITE_BINDING. Packaged apps do not need this: electron-builder
// rebuilds the packaged node_modules for Electron (npmRebuild).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Path of a better_sqlite3.node built for the installed Electron; builds it on first use.
 * @param {string} root repository root
 * @returns {string}
 */
export function ensureElectronSqliteBinding(root) {
  const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const staging = path.join(root, 'tools/.cache/electron-native', electronVersion);
  const binding = path.join(staging, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (existsSync(binding)) return binding;

  console.error(`Building better-sqlite3 for Electron ${electronVersion} (once; needs the Electron headers and a C++ toolchain)…`);
  mkdirSync(path.join(staging, 'node_modules'), { recursive: true });
  for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(path.join(root, 'node_modules', name), path.join(staging, 'node_modules', name), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}build${path.sep}`) && !source.endsWith(`${path.sep}build`),
    });
  }
  const version = JSON.parse(readFileSync(path.join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'vigie-electron-native', private: true, dependencies: { 'better-sqlite3': version } }),
  );
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@electron/rebuild/lib/cli.js'),
      '--version',
      electronVersion,
      '--module-dir',
      staging,
      '--only',
      'better-sqlite3',
      '--force',
      '--build-from-source',
    ],
    { stdio: 'inherit', cwd: staging },
  );
  if (!existsSync(binding)) throw new Error(`the Electron build of better-sqlite3 did not produce ${binding}`);
  return binding;
}
