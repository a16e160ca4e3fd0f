// `npm start` (after tools/build.mjs): the demo — the console on a night
// played by the simulator, in its own data folder — in the desktop app when
// the Electron runtime is installed, otherwise the same core headless so the
// console still opens in Chromium. Extra arguments (e.g. --data DIR --port N) pass through:
//   npm start -- --data /tmp/vigie --port 8640
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronSqliteBinding } from './electronNative.mjs';
import { findElectronBinary } from './electronRuntime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);
const electron = findElectronBinary(root);

// Joining another post (issue 15) is the desktop app's; without it, a browser is the seat.
const joinIndex = extraArgs.findIndex((arg) => arg === '--join' || arg.startsWith('--join='));
if (!electron && joinIndex >= 0) {
  const address = extraArgs[joinIndex].startsWith('--join=') ? extraArgs[joinIndex].slice('--join='.length) : extraArgs[joinIndex + 1];
  console.error(
    `The Electron runtime is not installed on this machine, so it cannot join a post: open https://${address ?? 'HOST:PORT'}/ in Chromium instead, and compare the certificate's SHA-256 with the post's "Vigie room:" line before trusting it (docs/room.md).`,
  );
  process.exit(2);
}

/** @type {[string, string[]]} */
const [command, args] = electron
  ? [electron, [path.join(root, 'dist/electron/main.cjs'), '--demo', ...extraArgs]]
  : [process.execPath, [path.join(root, 'dist/cli/vigie.cjs'), 'serve', '--demo', ...extraArgs]];

if (electron) {
  // The core in Electron's utilityProcess loads this build of the SQLite addon.
  process.env.VIGIE_SQLITE_BINDING = ensureElectronSqliteBinding(root);
} else {
  console.error('The Electron runtime is not installed on this machine, so Vigie runs headless: open the address below in Chromium.');
}

// stdio inherited: the core's first stdout line is the address to open.
// On POSIX the child gets its own process group, so a terminal Ctrl-C reaches
// it exactly once, through the forwarding below, rather than twice.
const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: process.platform !== 'win32' });

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('error', (error) => {
  console.error(`Could not start ${path.basename(command)}: ${error.message}`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  // A child killed by a signal maps to the shell convention 128 + signal number.
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
});
