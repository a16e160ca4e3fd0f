// Finds the Electron runtime binary WITHOUT require('electron'): electron's
// own index.js tries to download the binary when it is missing, and the build
// machines cannot download it. We repeat its lookup read-only instead:
//   node_modules/electron/path.txt names the executable inside dist/, and
//   ELECTRON_OVERRIDE_DIST_PATH (if set) replaces that dist/ directory.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} file */
function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Absolute path of the Electron executable, or null when it is not installed.
 * @param {string} [root] repository root (the folder holding node_modules/)
 * @returns {string | null}
 */
export function findElectronBinary(root = defaultRoot) {
  const electronDir = path.join(path.resolve(root), 'node_modules', 'electron');
  const pathFile = path.join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';

  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    // Same rule as electron/index.js: the override dir plus path.txt's name, or "electron".
    const candidate = path.resolve(override, executable || 'electron');
    return isFile(candidate) ? candidate : null;
  }
  if (!executable) return null;
  const candidate = path.join(electronDir, 'dist', executable);
  return isFile(candidate) ? candidate : null;
}
